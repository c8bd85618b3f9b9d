mod proptests;
mod suite;
mod tests;
