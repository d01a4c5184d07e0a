"""A firm's levers: what each costs and buys (`talentwar levers`, docs/levers/levers.md), and the
best mix within a budget (`talentwar levers optimise`, docs/levers/optimise.md).

    catalog.py    the levers, each an amount moved from the scenario's value
    ranking.py    one step of each lever, ranked by effect per million dollars
    optimise.py   NSGA-II over the levers' amounts: the Pareto front of effect against cost
    document.py   the pages of both: markdown with a figure, JSON, and an interactive HTML page
"""

from talentwar.levers.catalog import BY_NAME, LEVERS, Lever
from talentwar.levers.optimise import Optimisation, Point, Search, optimise, plan_search
from talentwar.levers.ranking import LeverResult, Ranking, rank_levers

__all__ = ["BY_NAME", "LEVERS", "Lever", "LeverResult", "Optimisation", "Point", "Ranking", "Search", "optimise", "plan_search", "rank_levers"]
