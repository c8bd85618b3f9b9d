mod hold;
mod mock_target;
mod p2;
mod p5;
mod p6;
mod policy_props;
mod suite;
mod tests;
