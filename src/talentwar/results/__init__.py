"""Results of a simulation as tidy pandas frames, with summaries across replications."""

from talentwar.results.result import Result

__all__ = ["Result"]
