"""Many worlds at once: experiments over uncertain parameters and levers, run as lanes of one
compiled program, stored as they finish, and read with sensitivity analysis and scenario discovery.

    from talentwar import explore
    exploration = explore("experiments/default.yaml", quick=True)
    exploration.results            # one row per (point, replication): factors and outcomes
    exploration.sobol("core_retention[lean_lab]")
    exploration.prim("core_retention[lean_lab] < 0.8")
"""

from __future__ import annotations

from pathlib import Path

from talentwar.exploration.analysis import AnalysisError, Box, Exploration
from talentwar.exploration.experiment import Experiment, ExperimentError, Plan, load_experiment

__all__ = ["AnalysisError", "Box", "Experiment", "ExperimentError", "Exploration", "Plan", "explore", "load_experiment"]


def explore(
    experiment: str | Path,
    quick: bool = False,
    workers: int = 1,
    ray: str | None = None,
    resume: str | None = None,
    store: str | Path | None = None,
    posterior: str | None = None,
    progress=None,
) -> Exploration:
    """Run the experiment file's design into the run store (default $TALENTWAR_STORE, else
    ./talentwar.duckdb) and return the exploration. `quick` runs a small version of the same
    design; `resume` (a stored exploration's id) runs only its points without outcomes;
    `posterior` (a stored calibration's id) draws its uncertainties from its particles."""
    from talentwar.exploration.runner import explore as run
    from talentwar.results.store import RunStore

    plan = load_experiment(experiment, quick=quick)
    with RunStore(store) as runs:
        if posterior is not None:
            plan = plan.with_posterior(runs.posterior(runs.resolve(posterior)))
        run_id = run(plan, runs, resume=resume, workers=workers, ray=ray, progress=progress)
        return Exploration.from_store(runs, run_id)
