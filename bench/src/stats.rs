//! Order statistics of a sample.

use std::time::Duration;

/// The `q` quantile (0.0..=1.0) of `samples`, nearest rank; zero for no samples.
pub fn quantile(samples: &[Duration], q: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let mut sorted = samples.to_vec();
    sorted.sort();
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

pub fn median(samples: &[Duration]) -> Duration {
    quantile(samples, 0.5)
}

/// `a / b`; infinite when `b` is zero (a target over it is then missed, not a panic).
pub fn ratio(a: Duration, b: Duration) -> f64 {
    if b.is_zero() {
        f64::INFINITY
    } else {
        a.as_secs_f64() / b.as_secs_f64()
    }
}

/// Milliseconds with two decimals, for reports.
pub fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_use_the_nearest_rank() {
        let samples: Vec<Duration> = [5, 1, 3, 2, 4].map(Duration::from_millis).to_vec();
        assert_eq!(median(&samples), Duration::from_millis(3));
        assert_eq!(quantile(&samples, 0.99), Duration::from_millis(5));
        assert_eq!(quantile(&samples, 0.0), Duration::from_millis(1));
        assert_eq!(median(&[]), Duration::ZERO);
    }
}
