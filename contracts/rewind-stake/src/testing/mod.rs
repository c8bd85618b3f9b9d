mod fixtures;
mod proptests;
mod suite;
mod tests;
