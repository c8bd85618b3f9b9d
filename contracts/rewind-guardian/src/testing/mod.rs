mod p2;
mod policy_props;
mod suite;
mod tests;
