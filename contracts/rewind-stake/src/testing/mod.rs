mod suite;
mod tests;
mod proptests;
