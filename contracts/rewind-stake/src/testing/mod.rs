mod fixtures;
mod migrate;
mod proptests;
mod suite;
mod tests;
