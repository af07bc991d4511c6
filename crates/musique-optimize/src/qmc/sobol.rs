//! Sobol' sequence as `scipy.stats.qmc.Sobol` (`scipy/stats/_sobol.pyx`):
//! Bratley-Fox direction numbers from Joe & Kuo's table, Gray-code order,
//! SciPy's first point (the origin, or the digital shift when scrambled), and
//! LMS + digital shift scrambling.

use super::{sample_len, sobol_table, try_filled, QmcError, Rng};

/// `scipy.stats.qmc.Sobol`.
#[derive(Debug, Clone)]
pub struct Sobol {
    d: usize,
    bits: u32,
    /// `d x bits` direction numbers (already scrambled when scrambling).
    sv: Vec<u64>,
    shift: Vec<u64>,
    quasi: Vec<u64>,
    num_generated: u64,
    scale: f64,
}

impl Sobol {
    /// The most dimensions this build carries direction numbers for (SciPy
    /// ships 21201).
    pub const MAXDIM: usize = sobol_table::MAXDIM;

    /// `Sobol(d, scramble=rng.is_some(), bits=bits)`; `bits` defaults to 30,
    /// at most 64. With `scramble` the direction numbers get a random lower
    /// triangular (LMS) scramble and the points a random digital shift, both
    /// drawn from `rng`.
    pub fn new(d: usize, bits: Option<u32>, scramble: Option<&mut Rng>) -> Result<Sobol, QmcError> {
        if d > Self::MAXDIM {
            return Err(QmcError::SobolMaxDim {
                maxdim: Self::MAXDIM,
            });
        }
        let bits = bits.unwrap_or(30);
        if bits > 64 {
            return Err(QmcError::SobolMaxBits);
        }
        if bits == 0 {
            return Err(QmcError::SobolZeroBits);
        }
        let nb = bits as usize;
        let mut sv = initialize_v(d, nb);
        let shift = match scramble {
            None => vec![0; d],
            Some(rng) => {
                let shift = (0..d)
                    .map(|_| (0..nb).fold(0u64, |s, k| s | (u64::from(rng.bit()) << k)))
                    .collect();
                cscramble(d, nb, &mut sv, rng);
                shift
            }
        };
        Ok(Sobol {
            d,
            bits,
            sv,
            quasi: shift.clone(),
            shift,
            num_generated: 0,
            scale: 0.5f64.powi(bits as i32),
        })
    }

    pub fn d(&self) -> usize {
        self.d
    }

    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// Points drawn so far.
    pub fn num_generated(&self) -> u64 {
        self.num_generated
    }

    fn maxn(&self) -> u128 {
        1u128 << self.bits
    }

    /// `num_generated + n`, refused past `2**bits` points (and past `u64`).
    fn check_total(&self, n: u64) -> Result<u64, QmcError> {
        let total = self.num_generated as u128 + n as u128;
        if total > self.maxn() || total > u64::MAX as u128 {
            return Err(QmcError::SobolTooMany {
                bits: self.bits,
                num_generated: self.num_generated,
                n: n as u128,
            });
        }
        Ok(total as u64)
    }

    /// The next `n` points, `n x d` row-major in `[0, 1)`. SciPy warns (and
    /// still draws) when the first draw is not a power of two; check with
    /// [`Sobol::is_balanced`] if that matters.
    pub fn random(&mut self, n: usize) -> Result<Vec<f64>, QmcError> {
        let d = self.d;
        if n == 0 {
            return Ok(Vec::new());
        }
        self.check_total(n as u64)?;
        let mut sample = try_filled(sample_len(n, d, "Sobol.random")?, 0.0, "Sobol.random")?;
        if self.num_generated == 0 {
            // The first point is the shift itself (index 0 of the Gray code).
            for (s, &q) in sample[..d].iter_mut().zip(&self.quasi) {
                *s = q as f64 * self.scale;
            }
            self.draw(n - 1, 0, &mut sample[d..]);
        } else {
            self.draw(n, self.num_generated - 1, &mut sample);
        }
        self.num_generated += n as u64;
        Ok(sample)
    }

    /// `2**m` points; the total drawn must stay a power of two, as SciPy asks.
    pub fn random_base2(&mut self, m: u32) -> Result<Vec<f64>, QmcError> {
        let n = 1u128.checked_shl(m);
        let total = n.and_then(|n| n.checked_add(self.num_generated as u128));
        match (n, total) {
            (Some(n), Some(total)) if total.is_power_of_two() => match usize::try_from(n) {
                Ok(n) => self.random(n),
                Err(_) => Err(QmcError::SobolTooMany {
                    bits: self.bits,
                    num_generated: self.num_generated,
                    n,
                }),
            },
            _ => Err(QmcError::SobolBase2 {
                num_generated: self.num_generated,
                m,
                total,
            }),
        }
    }

    /// Whether drawing `n` more points keeps SciPy's balance condition (the
    /// first draw a power of two); SciPy only warns when it does not.
    pub fn is_balanced(&self, n: usize) -> bool {
        self.num_generated != 0 || n.is_power_of_two()
    }

    /// Back to the first point (same scramble).
    pub fn reset(&mut self) {
        self.quasi.copy_from_slice(&self.shift);
        self.num_generated = 0;
    }

    /// Skips `n` points, in `O(d * bits)` whatever `n`: point `k` is the
    /// shift XOR the direction numbers at the set bits of `k`'s Gray code, so
    /// the last skipped point is built directly (SciPy steps through all `n`).
    pub fn fast_forward(&mut self, n: u64) -> Result<(), QmcError> {
        if n == 0 {
            return Ok(());
        }
        let total = self.check_total(n)?;
        let last = total - 1;
        let gray = last ^ (last >> 1);
        let nb = self.bits as usize;
        for j in 0..self.d {
            let mut q = self.shift[j];
            for b in 0..nb {
                if (gray >> b) & 1 == 1 {
                    q ^= self.sv[j * nb + b];
                }
            }
            self.quasi[j] = q;
        }
        self.num_generated = total;
        Ok(())
    }

    fn draw(&mut self, n: usize, num_gen: u64, sample: &mut [f64]) {
        let (d, nb) = (self.d, self.bits as usize);
        for i in 0..n {
            let l = low_0_bit(num_gen + i as u64);
            for j in 0..d {
                let q = self.quasi[j] ^ self.sv[j * nb + l - 1];
                self.quasi[j] = q;
                sample[i * d + j] = q as f64 * self.scale;
            }
        }
    }
}

/// Position (from 1) of the lowest zero bit.
fn low_0_bit(x: u64) -> usize {
    x.trailing_ones() as usize + 1
}

/// `_initialize_v`: direction numbers for `dim` dimensions and `bits` bits.
fn initialize_v(dim: usize, bits: usize) -> Vec<u64> {
    let mut v = vec![0u64; dim * bits];
    if dim == 0 {
        return v;
    }
    v[..bits].fill(1);
    let mut offset = 0;
    for (d, &p) in sobol_table::POLY.iter().enumerate().take(dim) {
        let p = u64::from(p);
        let m = (64 - p.leading_zeros() as usize).saturating_sub(1);
        let init = &sobol_table::VINIT[offset..offset + m];
        offset += m;
        if d == 0 {
            continue;
        }
        let row = &mut v[d * bits..(d + 1) * bits];
        for (k, &x) in init.iter().enumerate().take(bits) {
            row[k] = u64::from(x);
        }
        for j in m..bits {
            let mut newv = row[j - m];
            let mut pow2 = 1u64;
            for k in 0..m {
                pow2 <<= 1;
                if (p >> (m - 1 - k)) & 1 == 1 {
                    newv ^= pow2 * row[j - k - 1];
                }
            }
            row[j] = newv;
        }
    }
    // Column c is scaled by 2^(bits - 1 - c).
    for d in 0..dim {
        for c in 0..bits {
            v[d * bits + c] <<= bits - 1 - c;
        }
    }
    v
}

/// `_cscramble`: left linear matrix scramble of each dimension's direction
/// numbers by a random unit lower triangular bit matrix.
fn cscramble(dim: usize, bits: usize, sv: &mut [u64], rng: &mut Rng) {
    // Row p of the matrix as a mask over the bits of a direction number:
    // column c of the row weighs bit (bits - 1 - c), as cdot_pow2 reads it.
    let mut masks = vec![0u64; bits];
    for d in 0..dim {
        for (p, mask) in masks.iter_mut().enumerate() {
            let mut m = 1u64 << (bits - 1 - p);
            for c in 0..p {
                if rng.bit() {
                    m |= 1u64 << (bits - 1 - c);
                }
            }
            *mask = m;
        }
        for j in 0..bits {
            let vdj = sv[d * bits + j];
            let mut t2 = 0u64;
            for (p, &mask) in masks.iter().enumerate() {
                let t1 = u64::from((mask & vdj).count_ones() & 1);
                t2 |= t1 << (bits - 1 - p);
            }
            sv[d * bits + j] = t2;
        }
    }
}
