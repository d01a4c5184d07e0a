"""The job-ladder special case written in plain Mesa 3, as a Mesa user would write it."""

from benchmarks.mesa_reference.model import JobLadderModel, Researcher, Employer, ladder_parameters

__all__ = ["Employer", "JobLadderModel", "Researcher", "ladder_parameters"]
