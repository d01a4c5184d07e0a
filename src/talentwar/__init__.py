"""talentwar: an agent-based, Monte Carlo simulator of the frontier-AI talent market.

    import talentwar
    scenario = talentwar.load_scenario("job-ladder")
    result = talentwar.simulate(scenario, replications=4, months=36, seed=1)
    result.summary()

`run_claims` runs the seeds' claims C1-C14 as experiments (docs/claims.md); `run_validation` runs
the published facts the model must reproduce (docs/validation.md); `explore` runs an experiment
file over many worlds and returns an `Exploration` (`.results`, `.sobol()`, `.prim()`; docs/explore.md);
`rank_levers` ranks a firm's levers by effect per million dollars (docs/levers/levers.md);
`optimise_levers` searches the mix of levers that buys the most within a budget (docs/levers/optimise.md).
The engine (JAX) is imported on first use of `simulate`, `run_claims` or `Result`, so that the scenario
tools and the command line start quickly.
"""

from talentwar.scenario import Scenario, ScenarioError, load_scenario

__version__ = "0.1.0"

__all__ = ["Exploration", "Result", "Scenario", "ScenarioError", "__version__", "explore", "load_run", "load_scenario", "optimise_levers", "rank_levers", "run_claims", "run_validation", "simulate"]


def __getattr__(name: str):
    if name == "simulate":
        from talentwar.simulation import simulate as value
    elif name == "load_run":
        from talentwar.results.store import load_run as value
    elif name == "run_claims":
        from talentwar.claims import run_claims as value
    elif name == "run_validation":
        from talentwar.validation import run_validation as value
    elif name == "explore":
        from talentwar.exploration import explore as value
    elif name == "Exploration":
        from talentwar.exploration import Exploration as value
    elif name == "rank_levers":
        from talentwar.levers import rank_levers as value
    elif name == "optimise_levers":
        from talentwar.levers.optimise import optimise_levers as value
    elif name == "Result":
        from talentwar.results import Result as value
    else:
        raise AttributeError(f"module 'talentwar' has no attribute {name!r}")
    globals()[name] = value
    return value

