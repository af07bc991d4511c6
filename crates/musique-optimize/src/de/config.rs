//! The options of `scipy.optimize.differential_evolution`, their defaults,
//! and the errors a bad value gets (SciPy's messages where SciPy has one).

use std::fmt;
use std::str::FromStr;

/// The 12 named strategies, plus a caller-supplied one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Strategy {
    Best1Bin,
    Best1Exp,
    Rand1Bin,
    Rand1Exp,
    Rand2Bin,
    Rand2Exp,
    RandToBest1Bin,
    RandToBest1Exp,
    CurrentToBest1Bin,
    CurrentToBest1Exp,
    Best2Bin,
    Best2Exp,
    /// SciPy's callable `strategy(candidate, population, rng)`: the engine
    /// calls the function given with
    /// [`DifferentialEvolution::with_strategy_fn`](super::DifferentialEvolution::with_strategy_fn),
    /// or, without one, asks the caller for the trials
    /// ([`Ask::Trials`](super::Ask::Trials)).
    Custom,
}

impl Strategy {
    pub const ALL: [Strategy; 12] = [
        Strategy::Best1Bin,
        Strategy::Best1Exp,
        Strategy::Rand1Bin,
        Strategy::Rand1Exp,
        Strategy::Rand2Bin,
        Strategy::Rand2Exp,
        Strategy::RandToBest1Bin,
        Strategy::RandToBest1Exp,
        Strategy::CurrentToBest1Bin,
        Strategy::CurrentToBest1Exp,
        Strategy::Best2Bin,
        Strategy::Best2Exp,
    ];

    /// SciPy's name (`"custom"` for [`Strategy::Custom`]).
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Best1Bin => "best1bin",
            Strategy::Best1Exp => "best1exp",
            Strategy::Rand1Bin => "rand1bin",
            Strategy::Rand1Exp => "rand1exp",
            Strategy::Rand2Bin => "rand2bin",
            Strategy::Rand2Exp => "rand2exp",
            Strategy::RandToBest1Bin => "randtobest1bin",
            Strategy::RandToBest1Exp => "randtobest1exp",
            Strategy::CurrentToBest1Bin => "currenttobest1bin",
            Strategy::CurrentToBest1Exp => "currenttobest1exp",
            Strategy::Best2Bin => "best2bin",
            Strategy::Best2Exp => "best2exp",
            Strategy::Custom => "custom",
        }
    }

    pub(crate) fn is_exponential(self) -> bool {
        matches!(
            self,
            Strategy::Best1Exp
                | Strategy::Rand1Exp
                | Strategy::Rand2Exp
                | Strategy::RandToBest1Exp
                | Strategy::CurrentToBest1Exp
                | Strategy::Best2Exp
        )
    }
}

impl FromStr for Strategy {
    type Err = DeError;
    /// SciPy's 12 names; anything else is SciPy's "Please select a valid
    /// mutation strategy".
    fn from_str(s: &str) -> Result<Strategy, DeError> {
        Strategy::ALL
            .into_iter()
            .find(|st| st.name() == s)
            .ok_or(DeError::Strategy)
    }
}

/// `mutation`: a constant `F`, or `(min, max)` for dithering (a new `F`
/// drawn uniformly in `[min, max)` each generation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mutation {
    Fixed(f64),
    Dither(f64, f64),
}

/// `init`.
#[derive(Debug, Clone, PartialEq)]
pub enum Init {
    LatinHypercube,
    Sobol,
    Halton,
    Random,
    /// An `(S, N)` population, row-major, in parameter space; clipped to the
    /// bounds, `S >= 5`.
    Array(Vec<f64>),
}

impl FromStr for Init {
    type Err = DeError;
    fn from_str(s: &str) -> Result<Init, DeError> {
        match s {
            "latinhypercube" => Ok(Init::LatinHypercube),
            "sobol" => Ok(Init::Sobol),
            "halton" => Ok(Init::Halton),
            "random" => Ok(Init::Random),
            _ => Err(DeError::Init),
        }
    }
}

/// `updating`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Updating {
    /// The best member and the population change after every trial; trials
    /// are asked for one at a time.
    Immediate,
    /// A whole generation of trials is built, evaluated, then selected.
    Deferred,
}

impl FromStr for Updating {
    type Err = DeError;
    fn from_str(s: &str) -> Result<Updating, DeError> {
        match s {
            "immediate" => Ok(Updating::Immediate),
            "deferred" => Ok(Updating::Deferred),
            _ => Err(DeError::Updating(s.to_string())),
        }
    }
}

/// One constraint, as `lb <= c(x) <= ub` componentwise.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    /// `NonlinearConstraint(fun, lb, ub)`: the caller evaluates `fun` and
    /// hands the values over ([`Ask::Constraints`](super::Ask::Constraints));
    /// `lb.len() == ub.len()` is the number of components.
    Nonlinear { lb: Vec<f64>, ub: Vec<f64> },
    /// `LinearConstraint(A, lb, ub)`, `A` an `m x N` row-major matrix;
    /// evaluated here.
    Linear {
        a: Vec<f64>,
        lb: Vec<f64>,
        ub: Vec<f64>,
    },
    /// `Bounds(lb, ub)` given as a constraint: `c(x) = x`.
    Bounds { lb: Vec<f64>, ub: Vec<f64> },
}

impl Constraint {
    /// Number of components.
    pub fn len(&self) -> usize {
        match self {
            Constraint::Nonlinear { lb, .. }
            | Constraint::Linear { lb, .. }
            | Constraint::Bounds { lb, .. } => lb.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn bounds(&self) -> (&[f64], &[f64]) {
        match self {
            Constraint::Nonlinear { lb, ub }
            | Constraint::Linear { lb, ub, .. }
            | Constraint::Bounds { lb, ub } => (lb, ub),
        }
    }
}

/// Every option of `scipy.optimize.differential_evolution`, with SciPy's
/// defaults from [`DeConfig::new`]. `workers`, `vectorized` and `callback`
/// belong to whoever drives the engine: a caller evaluating a generation in
/// parallel should pick [`Updating::Deferred`], as SciPy does when
/// `workers != 1`; `disp` has no counterpart.
#[derive(Debug, Clone, PartialEq)]
pub struct DeConfig {
    /// `(min, max)` of each parameter: finite, `min <= max`.
    pub bounds: Vec<(f64, f64)>,
    /// Default [`Strategy::Best1Bin`].
    pub strategy: Strategy,
    /// Default 1000.
    pub maxiter: usize,
    /// Default 15: the population has `max(5, popsize * N_free)` members
    /// (rounded up to a power of two for [`Init::Sobol`]).
    pub popsize: usize,
    /// Default 0.01.
    pub tol: f64,
    /// Default 0.
    pub atol: f64,
    /// Default `Dither(0.5, 1.0)`.
    pub mutation: Mutation,
    /// Default 0.7.
    pub recombination: f64,
    /// Seed of the engine's [`Rng`](crate::qmc::Rng). Default 0.
    pub seed: u64,
    /// Default true. The engine only reports whether and how to polish
    /// ([`DifferentialEvolution::polish_method`](super::DifferentialEvolution::polish_method));
    /// the caller runs the local minimizer.
    pub polish: bool,
    /// Default [`Init::LatinHypercube`].
    pub init: Init,
    /// Default [`Updating::Immediate`].
    pub updating: Updating,
    /// Replaces the first population member.
    pub x0: Option<Vec<f64>>,
    /// Per parameter: restricted to integers. `None` (default): none.
    pub integrality: Option<Vec<bool>>,
    /// Default none.
    pub constraints: Vec<Constraint>,
    /// Function-evaluation budget of `DifferentialEvolutionSolver` (not a
    /// `differential_evolution` keyword). Default `None`: unlimited.
    pub maxfun: Option<usize>,
}

impl DeConfig {
    /// SciPy's defaults for these bounds.
    pub fn new(bounds: Vec<(f64, f64)>) -> DeConfig {
        DeConfig {
            bounds,
            strategy: Strategy::Best1Bin,
            maxiter: 1000,
            popsize: 15,
            tol: 0.01,
            atol: 0.0,
            mutation: Mutation::Dither(0.5, 1.0),
            recombination: 0.7,
            seed: 0,
            polish: true,
            init: Init::LatinHypercube,
            updating: Updating::Immediate,
            x0: None,
            integrality: None,
            constraints: Vec::new(),
            maxfun: None,
        }
    }
}

/// Why an engine could not be built or a reply was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum DeError {
    Strategy,
    Mutation,
    /// A non-finite bound (or no bounds).
    Bounds,
    /// `lo > hi` for this parameter (SciPy silently mirrors such a pair).
    BoundsOrder {
        index: usize,
        lo: f64,
        hi: f64,
    },
    Integrality,
    IntegralityLength {
        got: usize,
        expected: usize,
    },
    Init,
    InitArray,
    Updating(String),
    X0Bounds,
    X0Length {
        got: usize,
        expected: usize,
    },
    /// A constraint's `lb`/`ub` (or `A`) have inconsistent sizes.
    ConstraintShape {
        index: usize,
    },
    Sampler(String),
    /// The strategy needs more distinct members than the population has.
    PopulationTooSmall {
        strategy: &'static str,
        np: usize,
    },
    /// [`Strategy::Custom`] driven by `run_native` without a strategy function.
    StrategyFnMissing,
    /// `tell` without a pending request.
    NothingAsked,
    /// The objective's reply has the wrong length.
    ObjectiveLength {
        got: usize,
        expected: usize,
    },
    /// A constraint reply has the wrong length.
    ConstraintValuesLength {
        got: usize,
        expected: usize,
    },
    /// A user strategy's trial has the wrong length.
    TrialLength {
        got: usize,
        expected: usize,
    },
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeError::Strategy => f.write_str("Please select a valid mutation strategy"),
            DeError::Mutation => f.write_str(
                "The mutation constant must be a float in U[0, 2), or specified as a \
                 tuple(min, max) where min < max and min, max are in U[0, 2).",
            ),
            DeError::Bounds => f.write_str(
                "bounds should be a sequence containing finite real valued (min, max) pairs \
                 for each value in x",
            ),
            DeError::BoundsOrder { index, lo, hi } => write!(
                f,
                "bounds[{index}]: the lower bound {lo} is greater than the upper bound {hi}"
            ),
            DeError::Integrality => f.write_str(
                "One of the integrality constraints does not have any possible integer values \
                 between the lower/upper bounds.",
            ),
            DeError::IntegralityLength { got, expected } => write!(
                f,
                "integrality must have one entry per parameter: got {got}, expected {expected}"
            ),
            DeError::Init => f.write_str(
                "The population initialization method must be one of 'latinhypercube' or \
                 'random', or an array of shape (S, N) where N is the number of parameters \
                 and S>5",
            ),
            DeError::InitArray => {
                f.write_str("The population supplied needs to have shape (S, len(x)), where S > 4.")
            }
            DeError::Updating(s) => write!(
                f,
                "Invalid updating value '{s}', should be \"immediate\" or \"deferred\""
            ),
            DeError::X0Bounds => f.write_str("Some entries in x0 lay outside the specified bounds"),
            DeError::X0Length { got, expected } => {
                write!(f, "x0 must have one entry per parameter: got {got}, expected {expected}")
            }
            DeError::ConstraintShape { index } => write!(
                f,
                "constraints[{index}]: lb and ub must have one entry per constraint component \
                 (and A one row per component, N columns)"
            ),
            DeError::Sampler(m) => f.write_str(m),
            DeError::PopulationTooSmall { strategy, np } => write!(
                f,
                "strategy '{strategy}' needs more distinct population members than the {np} there are"
            ),
            DeError::StrategyFnMissing => f.write_str(
                "a custom strategy needs a strategy function to run natively"
            ),
            DeError::NothingAsked => f.write_str("tell() called with no pending request"),
            DeError::ObjectiveLength { .. } => f.write_str("func(x, *args) must return a scalar value"),
            DeError::ConstraintValuesLength { .. } => f.write_str(
                "An array returned from a Constraint has the wrong shape. If `vectorized is \
                 False` the Constraint should return an array of shape (M,). If `vectorized is \
                 True` then the Constraint must return an array of shape (M, S), where S is the \
                 number of solution vectors and M is the number of constraint components in a \
                 given Constraint object.",
            ),
            DeError::TrialLength { .. } => f.write_str(
                "strategy must have signature f(candidate: int, population: np.ndarray, \
                 rng=None) returning an array of shape (N,)",
            ),
        }
    }
}

impl std::error::Error for DeError {}
