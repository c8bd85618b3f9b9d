//! One limit policy for every list query (row D2).

/// Items returned when a query names no limit.
pub const DEFAULT_LIMIT: u32 = 10;
/// The most items any list query returns, whatever limit it names.
pub const MAX_LIMIT: u32 = 100;

/// The limit a list query uses: the default when none is given, never above [`MAX_LIMIT`].
pub fn clamp_limit(limit: Option<u32>) -> usize {
    limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn d2_limits_are_capped() {
        assert_eq!(clamp_limit(None), DEFAULT_LIMIT as usize);
        assert_eq!(clamp_limit(Some(3)), 3);
        assert_eq!(clamp_limit(Some(u32::MAX)), MAX_LIMIT as usize);
    }
}
