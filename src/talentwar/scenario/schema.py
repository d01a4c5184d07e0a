"""The scenario schema: pydantic v2 models for a talentwar scenario file.

Units (MODEL.md): money in thousands of US dollars (k$), salaries annual, compute in
H100-equivalent GPUs, time in months unless a field name says years. Every model forbids
unknown fields so that a typo is an error, not a silently ignored setting.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

ROLES = ("core", "research_engineer", "infra", "data", "product")
DEFAULT_STAGES = (
    "data_curation",
    "architecture",
    "training_infra",
    "post_training",
    "inference_efficiency",
)
MAX_MAGNITUDE = 1e9  # k$ of a valuation (a trillion dollars) is the largest number a scenario needs
MIN_CONCENTRATION, MAX_CONCENTRATION = 0.01, 10_000.0  # beta and Dirichlet concentrations: below, draws sit at 0 or 1 and the samplers fail; above, within 1% of the mean
LATEST_START_MONTHS = 6  # the latest start date a mover can negotiate (M9); each month allowed is a column of the compiled month
PULLS = ("cash", "equity", "compute", "autonomy", "mission")

# Mechanisms built so far, with the names MODEL.md gives them. A key not listed here is an error.
MECHANISMS = {
    "M1": "vesting and equity value",
    "M2": "certainty equivalent of equity",
    "M3": "secondary liquidity windows and synthetic equity",
    "M4": "compute access and verification speed",
    "M5": "blue-sky compute share",
    "M6": "monetization pressure and misalignment",
    "M7": "learning and compartmentalisation",
    "M8": "codified knowledge, capability and money saved",
    "M9": "choice by random utility",
    "M10": "poaching and buyouts",
    "M11": "counter-offers and retention grants",
    "M12": "knowledge transfer and leakage",
    "M13": "toxic hierarchy and compensation-floor escalation",
    "M14": "rest-and-vest stagnation",
    "M15": "investor no-poach pacts and proxies",
    "M16": "baseline separations, replacement hiring and internal mobility",
}

Role = Literal["core", "research_engineer", "infra", "data", "product"]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]
Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False)  # .nan passes every range check

    @model_validator(mode="after")
    def _computable(self):
        # A finite number can still overflow the engine's 32-bit arithmetic (a salary of 1e308 k$).
        for name, value in self:
            if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > MAX_MAGNITUDE:
                raise ValueError(f"{name}: {value:.3g} is beyond what the model computes with; no number in a scenario is larger than 1e9 (k$ of a valuation: a trillion dollars)")
        return self


# ---------------------------------------------------------------- distributions
class Fixed(Strict):
    """Every researcher gets the same value."""

    dist: Literal["fixed"] = "fixed"
    value: float


class Uniform(Strict):
    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) must be >= low ({self.low})")
        return self


class LogNormal(Strict):
    """Heavy-tailed positive values: median and log-scale sigma."""

    dist: Literal["lognormal"]
    median: Positive
    # Above 3 the middle 95% of draws would span a factor of more than 100,000 and the tail overflows.
    sigma: Annotated[float, Field(ge=0.0, le=3.0)]


class Beta(Strict):
    """Values in [0, 1], given by mean and concentration (a + b)."""

    dist: Literal["beta"]
    mean: Annotated[float, Field(gt=0.0, lt=1.0)]
    concentration: Annotated[float, Field(ge=MIN_CONCENTRATION, le=MAX_CONCENTRATION)]


def _number_is_fixed(value: object) -> object:
    # `salary: 300` is shorthand for `salary: {dist: fixed, value: 300}`.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"dist": "fixed", "value": value}
    return value


Distribution = Annotated[
    Union[Fixed, Uniform, LogNormal, Beta],
    Field(discriminator="dist"),
    BeforeValidator(_number_is_fixed),
]


def support(dist: Fixed | Uniform | LogNormal | Beta) -> tuple[float, float]:
    """The smallest interval that holds every draw of `dist`."""
    if isinstance(dist, Fixed):
        return dist.value, dist.value
    if isinstance(dist, Uniform):
        return dist.low, dist.high
    if isinstance(dist, LogNormal):
        return 5e-324, float("inf")  # strictly positive
    return 0.0, 1.0


def _require_money(dist, field: str) -> None:
    # Money is drawn inside the engine every month (hires, offers) by inverse transform, which
    # covers fixed, uniform and lognormal; a beta lives on [0, 1] and means nothing in k$.
    if isinstance(dist, Beta):
        raise ValueError(f"{field}: beta is for values in [0, 1]; use fixed, uniform or lognormal for money (k$)")


def _require_support(dist, field: str, low: float, high: float, strict_low: bool = False) -> None:
    lo, hi = support(dist)
    if lo < low or hi > high or (strict_low and lo <= low):
        bound = f"> {low}" if strict_low else f">= {low}"
        upper = "" if high == float("inf") else f" and <= {high}"
        raise ValueError(f"{field}: draws must be {bound}{upper}, but this distribution spans [{lo}, {hi}]")


# ---------------------------------------------------------------- researchers
class Knowledge(Strict):
    """Tacit knowledge per pipeline stage, in [0, 1] (002; 001: negative results count too)."""

    # A person's mastery of a stage's blueprint in [0, 1]; a firm combines its best people, each
    # next-best discounted for overlap (engine/knowledge.py). Defaults: small and heavy-tailed.
    own_stage: Distribution = Field(default_factory=lambda: Beta(dist="beta", mean=0.05, concentration=2))
    other_stages: Distribution = Field(default_factory=lambda: Beta(dist="beta", mean=0.005, concentration=2))

    @model_validator(mode="after")
    def _unit_interval(self) -> Knowledge:
        _require_support(self.own_stage, "own_stage", 0.0, 1.0)
        _require_support(self.other_stages, "other_stages", 0.0, 1.0)
        return self


class EquityGrant(Strict):
    """An equity grant in k$ at the grant-date share price (M1, 000).

    Nothing vests before `cliff_months`; at the cliff the months served so far vest, and after it
    the grant vests in tranches every `every_months` (1 monthly, 3 quarterly, 12 annual) until all
    of it has vested after `months`.
    """

    value: Distribution = 0.0
    months: Annotated[int, Field(ge=1, le=240)] = 36
    cliff_months: Annotated[int, Field(ge=0, le=240)] = 12
    every_months: Annotated[int, Field(ge=1, le=120)] = Field(1, description="months between vesting tranches after the cliff: 1 monthly, 3 quarterly, 12 annual")

    @model_validator(mode="after")
    def _consistent(self) -> EquityGrant:
        _require_money(self.value, "value")
        _require_support(self.value, "value", 0.0, float("inf"))
        if self.cliff_months > self.months:
            raise ValueError(f"cliff_months ({self.cliff_months}) must be <= months ({self.months})")
        if self.every_months > self.months:
            raise ValueError(f"every_months ({self.every_months}) must be <= months ({self.months})")
        return self


class RefreshGrant(EquityGrant):
    """A new grant every `interval_months` of tenure, vesting on its own schedule (M1: refresh grants)."""

    interval_months: Annotated[int, Field(ge=1, le=240)] = Field(12, description="months of tenure between refresh grants")
    cliff_months: Annotated[int, Field(ge=0, le=240)] = 0


class HiringEquity(EquityGrant):
    """The grant a researcher of a population group holds (and a hire receives), with optional refreshes."""

    refresh: RefreshGrant | None = Field(None, description="refresh grants on a schedule; null = none")


class PopulationGroup(Strict):
    """Researchers of one role and stage at one firm: their count and the distributions they are drawn from.

    The same group defines how the firm refills a vacancy in this role and stage (M16): a
    replacement hire gets a salary and equity grant drawn from `salary` and `equity`.
    """

    role: Role
    stage: str
    count: Annotated[int, Field(ge=0, le=10_000_000)]
    skill: Distribution = Field(default_factory=lambda: LogNormal(dist="lognormal", median=1.0, sigma=0.5))
    knowledge: Knowledge = Field(default_factory=Knowledge)
    salary: Distribution = Field(default_factory=lambda: LogNormal(dist="lognormal", median=200.0, sigma=0.3))
    equity: HiringEquity = Field(default_factory=HiringEquity)
    tenure_months: Distribution = Field(default_factory=lambda: Uniform(dist="uniform", low=0, high=36))
    risk_aversion: Distribution = 2.0
    wealth_years: Distribution = Field(
        2.0, description="wealth outside the firm's equity, in years of the starting salary: what an equity grant is a share of (M2)"
    )
    wants_ai_role: Probability = Field(
        0.0, description="share who want to move into an AI research role (infra, data and product staff; M16)"
    )
    archetypes: dict[str, Probability] = Field(default_factory=lambda: {"balanced": 1.0})

    @model_validator(mode="after")
    def _ranges(self) -> PopulationGroup:
        _require_support(self.skill, "skill", 0.0, float("inf"), strict_low=True)
        _require_money(self.salary, "salary")
        _require_support(self.salary, "salary", 0.0, float("inf"), strict_low=True)
        _require_support(self.tenure_months, "tenure_months", 0.0, float("inf"))
        _require_support(self.risk_aversion, "risk_aversion", 0.0, float("inf"))
        _require_support(self.wealth_years, "wealth_years", 0.0, float("inf"))
        if not self.archetypes:
            raise ValueError("archetypes: give at least one archetype with its share")
        total = sum(self.archetypes.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"archetypes: shares must add up to 1, they add up to {total:g}")
        return self


class Archetype(Strict):
    """Preference weights over the five pulls (M9). Weights are normalised to sum to 1.

    With `concentration`, each researcher's weights are a Dirichlet draw around these means;
    without it every researcher of the archetype has exactly these weights.
    """

    cash: NonNegative = 0.0
    equity: NonNegative = 0.0
    compute: NonNegative = 0.0
    autonomy: NonNegative = 0.0
    mission: NonNegative = 0.0
    concentration: Annotated[float, Field(ge=MIN_CONCENTRATION, le=MAX_CONCENTRATION)] | None = None

    @model_validator(mode="after")
    def _some_weight(self) -> Archetype:
        if sum(getattr(self, p) for p in PULLS) <= 0:
            raise ValueError("weights: at least one of cash, equity, compute, autonomy, mission must be > 0")
        return self


# ---------------------------------------------------------------- firms
class Capital(Strict):
    public: bool = False
    drift: float = Field(0.0, ge=-1.0, le=2.0, description="annual drift of the share price's geometric Brownian motion (expected growth rate)")
    volatility: Annotated[float, Field(ge=0.0, le=3.0)] = 0.3
    years_to_liquidity: Annotated[float, Field(ge=0.0, le=30.0)] = 0.0
    valuation: NonNegative = Field(0.0, description="k$ at month 0; moves with the share price (investors' portfolio value)")
    window_interval_months: Annotated[int, Field(ge=0, le=120)] = Field(
        0, description="months between secondary liquidity windows; 0 = none (M3; 002: biannual windows = 6)"
    )
    window_fraction: Probability = Field(0.25, description="share of vested holdings sellable in each window (M3)")
    synthetic_share: Probability = Field(
        0.0, description="share of equity grants in performance units that track the firm's capability, not its share price (M3)"
    )

    @model_validator(mode="after")
    def _public_is_liquid(self) -> Capital:
        if self.public and self.years_to_liquidity > 0:
            raise ValueError("years_to_liquidity must be 0 for a public firm (its stock is liquid)")
        return self


class Compute(Strict):
    gpus: NonNegative = 0.0
    hardware_efficiency: Annotated[float, Field(gt=0.0, le=10.0)] = 1.0
    friction_days: NonNegative = 0.0
    blue_sky_share: Probability = Field(0.0, description="share of the cluster reserved for self-chosen research (M5; 002: 15-20%)")
    blue_sky_tokens: Literal["equal", "skill"] = Field(
        "equal", description="how the blue-sky share is split: equal tokens per researcher, or in proportion to skill (M5)"
    )


class Product(Strict):
    user_base: NonNegative = Field(0.0, description="k$ per year saved by one unit of inference-efficiency knowledge")
    data_moat: Probability = 0.0
    monetization_pressure: Probability = Field(
        0.0, description="probability that a research hire is put on product or ad work (M6; 001)"
    )


class Organisation(Strict):
    bureaucracy: Probability = 0.0
    compartmentalisation: Probability = 0.0
    autonomy: Probability = 0.5
    mission: Probability = 0.5
    codified_knowledge: Probability = Field(0.0, description="initial codified (documented) share of each stage's knowledge")
    knowledge_overlap: Probability = Field(
        0.8, description="how much of one person's stage knowledge others at the firm also hold: 0 independent pieces, 1 all the same"
    )
    documentation_rate: Probability = Field(
        0.0, description="monthly share of the gap between what staff know and what is written down that gets codified (M8)"
    )


class Hunts(Strict):
    """Whom a poacher targets; null means every value."""

    firms: list[Name] | None = None
    roles: list[Role] | None = None
    stages: list[str] | None = None
    where_pulls_beat: bool = Field(
        False,
        description=(
            "of those firms, hunt each month only the ones whose typical researcher would gain by its offer on cash, compute, "
            "autonomy and mission, net of the switching and cross-region costs (M10)"
        ),
    )


class Poaching(Strict):
    """How a firm poaches (M10). `offer_rate` 0 means it does not poach."""

    offer_rate: Probability = Field(
        0.0, description="expected offers per month per researcher in the hunted pool (lambda1 in the job ladder)"
    )
    targeting: Literal["value", "random"] = "value"
    targeting_sharpness: Annotated[float, Field(ge=0.0, le=10.0)] = 1.0
    information_quality: Probability = 0.5
    hunts: Hunts = Field(default_factory=Hunts)
    salary_premium: Annotated[float, Field(ge=-0.9, le=10.0)] = 0.2
    salary_distribution: Distribution | None = None
    buyout_fraction: Probability = 0.0
    equity_grant: EquityGrant = Field(default_factory=EquityGrant)
    compute_promise: NonNegative = 0.0
    monthly_budget: NonNegative | None = None

    @model_validator(mode="after")
    def _positive_salary(self) -> Poaching:
        if self.salary_distribution is not None:
            _require_money(self.salary_distribution, "salary_distribution")
            _require_support(self.salary_distribution, "salary_distribution", 0.0, float("inf"), strict_low=True)
        return self


class PayReview(Strict):
    """A firm's periodic pay review against its peers (M11): every `interval_months` it raises the pay of each
    cell (role x stage) paid below the market's mean for that cell, times 1 + `position`, by `toward` of the gap.
    Pay is never cut."""

    interval_months: Annotated[int, Field(ge=0, le=120)] = Field(0, description="months between reviews; 0 = no reviews (12 = yearly)")
    toward: Probability = Field(0.5, description="share of the gap to the market's pay closed at each review")
    position: Annotated[float, Field(ge=-0.5, le=1.0)] = Field(
        0.0, description="where the firm pays against its peers: 0.1 targets 10% above the market's mean"
    )


class Retention(Strict):
    """A firm's retention policy (M11; 000: special equity for a protected class, counter-offers)."""

    protected_roles: list[Role] = Field(default_factory=list, description="the protected class that receives special grants")
    special_grant: EquityGrant = Field(default_factory=EquityGrant, description="granted once, in grant_month, to the protected class")
    grant_month: Annotated[int, Field(ge=1, le=1200)] = 1
    counter_offers: bool = False
    counter_roles: list[Role] | None = Field(None, description="who gets counter-offers; null = everyone")
    counter_max_multiple: Annotated[float, Field(ge=1.0, le=10.0)] = Field(
        1.5, description="a counter raises salary to at most this multiple of the current one"
    )
    counter_when: Literal["leaving", "any_offer"] = Field(
        "leaving",
        description=(
            "counter only those about to accept an offer (leaving), or match every offer a researcher receives, "
            "so pay rises with offers even when nobody moves (any_offer: sequential auctions, Postel-Vinay and Robin 2002)"
        ),
    )
    counter_margin: Annotated[float, Field(ge=0.0, le=1.0)] = Field(
        0.0, description="beat the offer's cash by this share; 0 matches it"
    )
    pay_review: PayReview = Field(default_factory=PayReview)
    match_raises: bool = Field(
        False, description="raise everyone paid below their reference pay up to it each month: the matching spiral (M13; 000)"
    )


class Firm(Strict):
    name: Name
    kind: Literal["lab", "incumbent", "startup", "outside"]
    region: Name = "global"
    inspired_by: str | None = None
    separation_rate: Probability = Field(0.0, description="monthly probability of a life-event exit to the outside pool")
    internal_mobility: Probability = Field(
        0.0, description="monthly probability that a researcher who wants an AI role is granted one (M16)"
    )
    capital: Capital = Field(default_factory=Capital)
    compute: Compute = Field(default_factory=Compute)
    product: Product = Field(default_factory=Product)
    organisation: Organisation = Field(default_factory=Organisation)
    poaching: Poaching = Field(default_factory=Poaching)
    retention: Retention = Field(default_factory=Retention)
    population: list[PopulationGroup] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_cells(self) -> Firm:
        seen: set[tuple[str, str]] = set()
        for group in self.population:
            cell = (group.role, group.stage)
            if cell in seen:
                raise ValueError(f"population: role {group.role!r} and stage {group.stage!r} appear twice; merge them into one group")
            seen.add(cell)
        if self.kind == "outside" and self.poaching != Poaching():
            raise ValueError("poaching: leave it out for the outside pool; its job offers are market.outside_market (offer_rate, pay_ratio)")
        if self.kind == "outside" and self.compute != Compute():
            raise ValueError("compute: leave it out for the outside pool; an outside job's compute is market.outside_market.compute_share")
        return self


# ---------------------------------------------------------------- investors
class NoPoachPact(Strict):
    """A soft promise that the investor's portfolio will not recruit from `protects` (002)."""

    protects: list[Name] = Field(min_length=1)
    compliance: Probability = Field(1.0, description="monthly probability that a portfolio firm keeps the pact (M15)")
    proxy_leakage: Probability = Field(
        0.0, description="monthly probability that the talent map of a protected firm reaches a firm outside the pact (M15)"
    )
    talent_map_quality: Probability = Field(0.9, description="information quality a leaked talent map gives its receiver (M15)")


class Investor(Strict):
    name: Name
    stakes: dict[Name, Probability] = Field(default_factory=dict)
    pact: NoPoachPact | None = None


# ---------------------------------------------------------------- scheduled departures
class Departure(Strict):
    """A what-if shock, not a mechanism: in `month`, `count` researchers of `firm` walk out.

    Who leaves: the firm's employed researchers of `roles` (null: any role) whose primary stage is
    `stage` (null: any stage); `who: top` picks those with the most knowledge of their own stage,
    `random` picks at random. Leavers for a rival (`to`) accept its offer on its usual terms and
    carry their knowledge (M12); leavers for the outside pool (`to` null) separate, and their
    vacancies refill as usual (M16). This is how a user asks "what does it cost us when three
    key people walk out" (docs/ODD.md, section 7).
    """

    firm: Name
    month: Annotated[int, Field(ge=1, le=1200)] = Field(description="the month in which they leave (1 = the first)")
    count: Annotated[int, Field(ge=1, le=10_000_000)]
    roles: list[Role] | None = None
    stage: Name | None = None
    who: Literal["top", "random"] = "top"
    to: Name | None = Field(None, description="the firm they join; null = the outside pool")


# ---------------------------------------------------------------- scenario
class Simulation(Strict):
    months: Annotated[int, Field(ge=1, le=1200)] = 36
    burn_in_months: Annotated[int, Field(ge=0, le=600)] = Field(
        0, description="months the market runs before month 0, unreported, so month 0 is a market in motion, not the hand-drawn start"
    )
    replications: Annotated[int, Field(ge=1, le=1_000_000)] = 100
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0
    stages: list[Name] = Field(default_factory=lambda: list(DEFAULT_STAGES), min_length=1, max_length=16)

    @model_validator(mode="after")
    def _unique_stages(self) -> Simulation:
        if len(set(self.stages)) != len(self.stages):
            raise ValueError("stages: each stage name must appear once")
        return self


def simulation_bounds(field: str) -> tuple[int, int]:
    """The (lowest, highest) value allowed for simulation.`field` (months, replications, seed): the
    command-line options and simulate() check against the same limits as a scenario file."""
    from annotated_types import Ge, Le

    metadata = Simulation.model_fields[field].metadata
    return next(m.ge for m in metadata if isinstance(m, Ge)), next(m.le for m in metadata if isinstance(m, Le))


class Learning(Strict):
    """M7: how researchers learn (002: verification cycle; compartmentalisation slows learning)."""

    own_stage_rate: Probability = Field(0.02, description="monthly own-stage learning at skill 1 and full verification speed")
    cross_stage_rate: Probability = Field(0.02, description="monthly share of the gap to colleagues' stage knowledge learned, before compartmentalisation")
    documentation_uptake: Probability = Field(0.05, description="monthly share of the gap to the codified stock a researcher reads up on (M16 ramp-up)")
    verification_half_speed: Positive = Field(10.0, description="verification speed at which own-stage learning runs at half its rate")
    frontier_drift: Probability = Field(
        0.01, description="monthly share of everyone's knowledge that the moving frontier makes obsolete"
    )


class Capability(Strict):
    """M8: capability from knowledge (weakest link), compute and headcount (001: diminishing returns)."""

    weakest_link: Annotated[float, Field(le=-0.1, ge=-50.0)] = Field(
        -4.0, description="CES exponent across stages; more negative is closer to the minimum"
    )
    compute_elasticity: Annotated[float, Field(ge=0.0, le=2.0)] = 0.3
    headcount_elasticity: Annotated[float, Field(ge=0.0, le=1.0)] = Field(0.5, description="below 1: the tenth researcher adds less than a tenth")
    compute_reference: Positive = Field(10000.0, description="effective GPUs at which the compute factor is 1")


class Costs(Strict):
    """What the levers cost, in k$ (docs/ODD.md, "Costs of levers"): prices the model needs to put
    compute, documentation and compartmentalisation in money. Each default is an assumption or a
    published price, said in its description."""

    gpu_month: NonNegative = Field(
        2.0,
        description=(
            "k$ a GPU costs a month, owned or rented: about $2.74 an hour over 730 hours, between one-year reserved H100 prices "
            "($1.70-2.35 an hour, 2025-26) and Lambda's on-demand list price ($2.99 an hour)"
        ),
    )
    documentation_effort: NonNegative = Field(
        2.0,
        description=(
            "share of research staff's time spent writing per unit of documentation_rate (assumption: the incumbents' 3% a "
            "month takes 6% of their time, within the 5-10% assumed from surveys that put all writing at 20-40%, Leydens 2008)"
        ),
    )
    compartmentalisation_loss: Probability = Field(
        0.1,
        description=(
            "share of research staff's pay lost to slower learning at full compartmentalisation (assumption: half the 20-30% "
            "fall in follow-on research where access to knowledge was restricted between firms, Williams 2013)"
        ),
    )


class BlueSky(Strict):
    """M5: what a blue-sky share does (002: an internal token economy for self-chosen research)."""

    autonomy_gain: NonNegative = Field(2.0, description="autonomy added per unit of blue-sky share a researcher's tokens give")
    breakthrough_rate: Probability = Field(
        0.1, description="monthly chance of a breakthrough at a firm whose whole cluster were blue-sky (scaled by the share)"
    )
    breakthrough_size: Probability = Field(0.1, description="share of the missing codified knowledge of one stage a breakthrough fills")


class Misalignment(Strict):
    """M6: researchers hired for research and put on product work (001: sparse attention -> ad targeting)."""

    productivity_loss: Probability = Field(0.5, description="research productivity lost while on product work")
    mission_penalty: NonNegative = Field(0.5, description="mission pull lost, staying on product work or expecting it at an offer")
    morale_loss: Probability = Field(0.05, description="morale lost each month on product work")
    search_rate: Probability = Field(
        0.03, description="extra monthly probability of an outside job offer while on product work (burnout: they look; M9 decides)"
    )


class Morale(Strict):
    """M13: morale, reference pay and the toxic hierarchy (000). Defaults are assumptions: a researcher
    paid 20% below their reference settles near morale 0.8 and gets 0.4% a month more outside offers."""

    toxicity: Probability = Field(
        0.01, description="morale lost each month by unprotected infra, data and product staff where a protected class exists"
    )
    reference_drift: Probability = Field(0.1, description="monthly share of the gap to the best pay seen that reference pay closes")
    pay_gap_sensitivity: NonNegative = Field(0.05, description="morale lost per month per unit of relative shortfall below reference pay")
    recovery: Probability = Field(0.05, description="monthly share of the gap to full morale that recovers")
    search_rate: Probability = Field(
        0.02, description="extra monthly probability of an outside job offer at morale 0 (linear in 1 - morale): the unhappy look; M9 decides"
    )
    weight: NonNegative = Field(0.5, description="utility of leaving per unit of lost morale, in choice (M9)")


class Mobility(Strict):
    """M16: internal mobility into AI roles (000: "the blinding of internal mobility")."""

    denial_morale_loss: Probability = Field(0.02, description="morale lost each month an AI role is wanted and denied")
    blinding: Probability = Field(
        0.5, description="share of internal moves a firm stops granting once it has a protected class"
    )


class RestAndVest(Strict):
    """M14: staying for the unvested equity alone (000)."""

    productivity_loss: Probability = Field(0.3, description="research productivity lost until the grant has vested")
    search_rate: Probability = Field(
        0.0,
        description="extra monthly probability of an outside job offer while resting: those who stay only for the equity look (M16's outside market; M9 decides)",
    )


class OutsideMarket(Strict):
    """Jobs elsewhere (other industry, academia): every employed researcher's standing alternative (M16, M9).

    Each month an employed researcher receives an offer from the outside market with probability
    `offer_rate` (plus the search that low morale and product work add), at a salary of
    `pay_ratio` times their current one, without equity, and with the verification speed of
    `compute_share` times the employers' mean (M4). They take it or not by M9's choice, so quits
    answer pay, equity, compute, autonomy and mission. 0 = no outside offers (then only life
    events, `separation_rate`, send people to the outside pool, as in the job ladder).
    """

    offer_rate: Probability = Field(0.0, description="monthly probability that an employed researcher gets an outside job offer")
    pay_ratio: Distribution = Field(1.0, description="an outside offer's salary as a multiple of the current salary")
    compute_share: Annotated[float, Field(ge=0.0, le=1.0)] = Field(
        0.0,
        description="an outside job's compute: its verification speed as a share of the employers' mean, weighted by research staff (M4); 0 = none",
    )

    @model_validator(mode="after")
    def _positive_ratio(self) -> OutsideMarket:
        _require_money(self.pay_ratio, "pay_ratio")
        _require_support(self.pay_ratio, "pay_ratio", 0.0, float("inf"), strict_low=True)
        return self


class StartDates(Strict):
    """When a researcher who takes an offer starts (M9): now, or at a later date they negotiate.

    A researcher who decides to move may ask the new employer for a start date up to
    `within_months` ahead, keeping what vests before it; each month of waiting the offer lapses
    with probability `lapse_rate` (the employer fills the role or withdraws). They pick the date
    that is best in expectation, so people who mean to leave wait for a vesting date close ahead
    and quits bunch after it (Gong, Zhang and Zhou 2026). 0 months = every move starts at once.
    """

    within_months: Annotated[int, Field(ge=0, le=LATEST_START_MONTHS)] = Field(0, description="latest start date a mover can ask for, in months ahead; 0 = now")
    lapse_rate: Probability = Field(0.5, description="monthly probability that an offer held open for a later start lapses")


class Market(Strict):
    """Market-wide settings of choice (M9), equity valuation (M2) and bookkeeping."""

    temperature: NonNegative = Field(0.25, description="scale of the Gumbel noise in choice; 0 = deterministic")
    planning_horizon_years: Annotated[float, Field(gt=0.0, le=30.0)] = 3.0
    switching_cost: NonNegative = 0.1
    cross_region_cost: NonNegative = 0.3
    illiquidity_discount: NonNegative = Field(0.15, description="annual discount rate for years until equity is liquid")
    holding_years: NonNegative = Field(1.0, description="years a public-stock holder bears price risk before selling")
    outside_knowledge_decay: Probability = Field(0.02, description="monthly fraction of tacit knowledge that goes stale in the outside pool")
    own_rd_rate: Annotated[float, Field(gt=0.0, le=1.0)] = Field(
        0.01, description="stage knowledge a firm's own R&D adds per month; converts knowledge gained into months saved"
    )
    outside_market: OutsideMarket = Field(default_factory=OutsideMarket)
    start_dates: StartDates = Field(default_factory=StartDates)
    learning: Learning = Field(default_factory=Learning)
    blue_sky: BlueSky = Field(default_factory=BlueSky)
    misalignment: Misalignment = Field(default_factory=Misalignment)
    rest_and_vest: RestAndVest = Field(default_factory=RestAndVest)
    morale: Morale = Field(default_factory=Morale)
    mobility: Mobility = Field(default_factory=Mobility)
    capability: Capability = Field(default_factory=Capability)
    costs: Costs = Field(default_factory=Costs)


class Scenario(Strict):
    name: Name
    description: str = ""
    simulation: Simulation = Field(default_factory=Simulation)
    market: Market = Field(default_factory=Market)
    archetypes: dict[Name, Archetype] = Field(
        default_factory=lambda: {"balanced": Archetype(cash=1, equity=1, compute=1, autonomy=1, mission=1)}
    )
    firms: list[Firm] = Field(min_length=1)
    investors: list[Investor] = Field(default_factory=list)
    mechanisms: dict[str, bool] = Field(default_factory=dict)
    departures: list[Departure] = Field(default_factory=list, description="scheduled what-if departures (shocks, not mechanisms)")

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:
        names = [f.name for f in self.firms]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"firms: names must be unique, {', '.join(duplicates)} appears more than once")
        outside = [f.name for f in self.firms if f.kind == "outside"]
        if len(outside) != 1:
            raise ValueError(f"firms: exactly one firm must have kind 'outside' (the outside pool), found {len(outside)}")
        if len(self.firms) < 2:
            raise ValueError("firms: give at least one employer besides the outside pool")
        known_firms = set(names)
        stages = set(self.simulation.stages)
        for i, firm in enumerate(self.firms):
            for j, group in enumerate(firm.population):
                if group.stage not in stages:
                    raise ValueError(
                        f"firms[{i}].population[{j}].stage: unknown stage {group.stage!r}, expected one of {sorted(stages)}"
                    )
                for archetype in group.archetypes:
                    if archetype not in self.archetypes:
                        raise ValueError(
                            f"firms[{i}].population[{j}].archetypes: unknown archetype {archetype!r}, expected one of {sorted(self.archetypes)}"
                        )
            hunts = firm.poaching.hunts
            for target in hunts.firms or []:
                if target not in known_firms:
                    raise ValueError(f"firms[{i}].poaching.hunts.firms: unknown firm {target!r}, expected one of {names}")
                if target == firm.name:
                    raise ValueError(f"firms[{i}].poaching.hunts.firms: a firm cannot poach from itself ({target!r})")
            for stage in hunts.stages or []:
                if stage not in stages:
                    raise ValueError(f"firms[{i}].poaching.hunts.stages: unknown stage {stage!r}, expected one of {sorted(stages)}")
        if sum(g.count for f in self.firms if f.kind != "outside" for g in f.population) == 0:
            raise ValueError("firms: the employers have no researchers; give at least one population group a count > 0")
        investor_names = [v.name for v in self.investors]
        if len(set(investor_names)) != len(investor_names):
            raise ValueError("investors: names must be unique")
        held: dict[str, float] = {}
        for i, investor in enumerate(self.investors):
            for firm_name, stake in investor.stakes.items():
                if firm_name not in known_firms:
                    raise ValueError(f"investors[{i}].stakes: unknown firm {firm_name!r}, expected one of {names}")
                held[firm_name] = held.get(firm_name, 0.0) + stake
            if investor.pact is not None:
                for firm_name in investor.pact.protects:
                    if firm_name not in known_firms:
                        raise ValueError(f"investors[{i}].pact.protects: unknown firm {firm_name!r}, expected one of {names}")
        for firm_name, total in held.items():
            if total > 1.0 + 1e-9:
                raise ValueError(f"investors: stakes in {firm_name!r} add up to {total:g}, more than the whole firm (1)")
        employers = [f.name for f in self.firms if f.kind != "outside"]
        for i, event in enumerate(self.departures):
            if event.firm not in employers:
                raise ValueError(f"departures[{i}].firm: unknown employer {event.firm!r}, expected one of {employers}")
            if event.to is not None and event.to not in known_firms:
                raise ValueError(f"departures[{i}].to: unknown firm {event.to!r}, expected one of {names} or null (the outside pool)")
            if event.to == event.firm:
                raise ValueError(f"departures[{i}].to: researchers cannot leave {event.firm!r} for {event.to!r} itself")
            if event.stage is not None and event.stage not in stages:
                raise ValueError(f"departures[{i}].stage: unknown stage {event.stage!r}, expected one of {sorted(stages)}")
            if event.month > self.simulation.months:
                raise ValueError(f"departures[{i}].month: {event.month} is after the horizon ({self.simulation.months} months)")
        for key in self.mechanisms:
            if key not in MECHANISMS:
                valid = ", ".join(f"{k} ({v})" for k, v in MECHANISMS.items())
                raise ValueError(f"mechanisms: unknown mechanism {key!r}, expected one of {valid}")
        return self

    def mechanism_on(self, key: str) -> bool:
        return self.mechanisms.get(key, True)

    @property
    def employers(self) -> list[Firm]:
        return [f for f in self.firms if f.kind != "outside"]
