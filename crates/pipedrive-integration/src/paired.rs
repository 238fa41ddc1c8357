//! Interleaved timing of two ways of doing the same thing, for ratios that survive a noisy machine.
//!
//! On a shared 2-core machine the speed of a loopback round trip drifts by tens of percent over a
//! few seconds (frequency scaling, the scheduler moving the client and the server thread between
//! cores). Benchmarking one variant after the other, as divan and criterion do, folds that drift
//! into the ratio. Here the two variants alternate within each round (A then B, then B then A in
//! the next round), so both see the same machine, and the ratio of their medians is reported with
//! its spread over consecutive blocks of rounds. Used by `benches/round_trip.rs`.

use std::time::{Duration, Instant};

/// Per-round times of two variants measured in alternation.
#[derive(Debug, Clone)]
pub struct Paired {
    /// Times of the first variant (the baseline), one per round.
    pub baseline: Vec<Duration>,
    /// Times of the second variant, one per round.
    pub candidate: Vec<Duration>,
}

/// Runs `warmup` unmeasured rounds, then `rounds` measured ones; each round runs both variants
/// once, alternating which goes first.
pub fn measure(warmup: usize, rounds: usize, mut baseline: impl FnMut(), mut candidate: impl FnMut()) -> Paired {
    for _ in 0..warmup {
        baseline();
        candidate();
    }
    let mut paired = Paired {
        baseline: Vec::with_capacity(rounds),
        candidate: Vec::with_capacity(rounds),
    };
    for round in 0..rounds {
        if round % 2 == 0 {
            paired.baseline.push(time(&mut baseline));
            paired.candidate.push(time(&mut candidate));
        } else {
            paired.candidate.push(time(&mut candidate));
            paired.baseline.push(time(&mut baseline));
        }
    }
    paired
}

fn time(run: &mut impl FnMut()) -> Duration {
    let start = Instant::now();
    run();
    start.elapsed()
}

impl Paired {
    /// Median time of the baseline.
    pub fn baseline_median(&self) -> Option<Duration> {
        median(&self.baseline)
    }

    /// Median time of the candidate.
    pub fn candidate_median(&self) -> Option<Duration> {
        median(&self.candidate)
    }

    /// `candidate median / baseline median` over all rounds.
    pub fn ratio(&self) -> Option<f64> {
        ratio_of_medians(&self.baseline, &self.candidate)
    }

    /// The lowest and highest ratio of medians over `blocks` consecutive, equal blocks of rounds:
    /// how far the ratio moves with the machine's state during the run.
    pub fn ratio_spread(&self, blocks: usize) -> Option<(f64, f64)> {
        let size = self.baseline.len().checked_div(blocks)?;
        if size == 0 {
            return None;
        }
        let ratios = self
            .baseline
            .chunks_exact(size)
            .zip(self.candidate.chunks_exact(size))
            .filter_map(|(baseline, candidate)| ratio_of_medians(baseline, candidate));
        ratios.fold(None, |range, ratio| match range {
            None => Some((ratio, ratio)),
            Some((low, high)) => Some((f64::min(low, ratio), f64::max(high, ratio))),
        })
    }
}

fn ratio_of_medians(baseline: &[Duration], candidate: &[Duration]) -> Option<f64> {
    let baseline = median(baseline)?.as_secs_f64();
    let candidate = median(candidate)?.as_secs_f64();
    (baseline > 0.0).then(|| candidate / baseline)
}

/// The median (the mean of the middle two for an even count); `None` for no samples.
pub fn median(samples: &[Duration]) -> Option<Duration> {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted.get(middle).copied()
    } else {
        let low = sorted.get(middle.checked_sub(1)?)?;
        let high = sorted.get(middle)?;
        Some((*low + *high) / 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn micros(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|&v| Duration::from_micros(v)).collect()
    }

    #[test]
    fn median_of_odd_and_even_counts_and_of_nothing() {
        assert_eq!(median(&micros(&[5, 1, 3])), Some(Duration::from_micros(3)));
        assert_eq!(median(&micros(&[4, 1, 3, 2])), Some(Duration::from_nanos(2500)));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn ratio_and_spread_compare_blocks_of_rounds() {
        let paired = Paired {
            baseline: micros(&[10, 10, 20, 20]),
            candidate: micros(&[11, 11, 20, 20]),
        };
        // Medians 15 and 15.5 overall; blocks of two rounds give 1.1 and 1.0.
        let ratio = paired.ratio().expect("ratio");
        assert!((ratio - 15.5 / 15.0).abs() < 1e-9, "{ratio}");
        let (low, high) = paired.ratio_spread(2).expect("spread");
        assert!((low - 1.0).abs() < 1e-9 && (high - 1.1).abs() < 1e-9, "{low} {high}");
        assert_eq!(paired.ratio_spread(8), None, "fewer rounds than blocks");
    }

    #[test]
    fn measure_alternates_and_records_every_round() {
        let order = std::cell::RefCell::new(Vec::new());
        let paired = measure(1, 4, || order.borrow_mut().push('a'), || order.borrow_mut().push('b'));
        assert_eq!(paired.baseline.len(), 4);
        assert_eq!(paired.candidate.len(), 4);
        let order: String = order.into_inner().into_iter().collect();
        // Warm-up, then rounds alternating which variant goes first.
        assert_eq!(order, "ababbaabba");
    }
}
