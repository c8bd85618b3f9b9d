mod suite;
mod tests;
