"""Burdett-Mortensen job ladder in plain Mesa 3: one Python object per researcher.

This is the reference that talentwar's engine is compared with (benchmarks/bench.py,
docs/performance.md). It is written the way the Mesa tutorials teach: `Agent` subclasses
with one method per stage of the month, activated in random order with
`model.agents.shuffle_do`, and a `DataCollector` recording the market each month. It takes
its parameters from talentwar's `job-ladder` scenario, so both sides compute the same thing,
in the same order of events as talentwar's engine (docs/ODD.md, job ladder):

1. search: each employed researcher receives an offer with probability lambda1 from another
   employer, its salary drawn from F, and accepts it if it pays more;
2. separation: each employed researcher leaves for the outside pool with probability delta;
3. hiring: each employer refills its vacancies from pool members who did not just leave,
   each hire paid a draw from F.

The steady-state distribution of employed salaries is then
G(w) = F(w) / (1 + kappa (1 - F(w))) with kappa = lambda1 (1 - delta) / delta
(tests/test_mesa_reference.py checks it).
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa


@dataclass(frozen=True)
class LadderParameters:
    offer_rate: float  # lambda1: offers per employed researcher per month
    separation_rate: float  # delta: monthly exits to the outside pool
    low: float  # F is uniform on [low, high], k$ a year
    high: float
    employers: tuple[int, ...]  # target headcount of each employer
    pool: int  # researchers in the outside pool at month 0

    @property
    def researchers(self) -> int:
        return sum(self.employers) + self.pool


def ladder_parameters(scenario) -> LadderParameters:
    """The job ladder's parameters from a talentwar scenario shaped like the built-in `job-ladder`."""
    employers = [f for f in scenario.firms if f.kind != "outside"]
    outside = next(f for f in scenario.firms if f.kind == "outside")
    rates = {(f.poaching.offer_rate, f.separation_rate) for f in employers}
    dists = {f.poaching.salary_distribution.model_dump_json() for f in employers}
    if len(rates) != 1 or len(dists) != 1:
        raise ValueError("the Mesa reference needs every employer to share one offer rate, separation rate and F")
    dist = employers[0].poaching.salary_distribution
    if dist.dist != "uniform":
        raise ValueError(f"the Mesa reference draws F uniform, the scenario's F is {dist.dist}")
    offer_rate, separation_rate = rates.pop()
    return LadderParameters(
        offer_rate=offer_rate,
        separation_rate=separation_rate,
        low=dist.low,
        high=dist.high,
        employers=tuple(sum(g.count for g in f.population) for f in employers),
        pool=sum(g.count for g in outside.population),
    )


class Employer(mesa.Agent):
    def __init__(self, model: JobLadderModel, target: int):
        super().__init__(model)
        self.target = target
        self.headcount = 0

    def hire(self) -> None:
        vacancies = self.target - self.headcount
        if vacancies <= 0:
            return
        pool = self.model.agents_by_type[Researcher].select(lambda r: r.employer is None and not r.just_left)
        for researcher in self.random.sample(list(pool), min(vacancies, len(pool))):
            researcher.join(self, self.model.draw_salary())


class Researcher(mesa.Agent):
    def __init__(self, model: JobLadderModel, employer: Employer | None, salary: float):
        super().__init__(model)
        self.employer = None
        self.salary = salary
        self.just_left = False
        if employer is not None:
            self.join(employer, salary)

    def join(self, employer: Employer, salary: float) -> None:
        if self.employer is not None:
            self.employer.headcount -= 1
        self.employer = employer
        self.salary = salary
        employer.headcount += 1

    def search(self) -> None:
        self.just_left = False
        if self.employer is None or self.random.random() >= self.model.p.offer_rate:
            return
        poacher = self.random.choice([e for e in self.model.employers if e is not self.employer])
        offer = self.model.draw_salary()
        if offer > self.salary:
            self.join(poacher, offer)

    def separate(self) -> None:
        if self.employer is not None and self.random.random() < self.model.p.separation_rate:
            self.employer.headcount -= 1
            self.employer = None
            self.just_left = True


class JobLadderModel(mesa.Model):
    def __init__(self, parameters: LadderParameters, seed: int | None = None):
        super().__init__(seed=seed)
        self.p = parameters
        self.employers = [Employer(self, target) for target in parameters.employers]
        for employer in self.employers:
            for _ in range(employer.target):
                Researcher(self, employer, self.draw_salary())
        for _ in range(parameters.pool):
            Researcher(self, None, self.draw_salary())
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "employed": lambda m: sum(e.headcount for e in m.employers),
                "mean_salary": lambda m: m.employed_salaries_mean(),
            }
        )

    def draw_salary(self) -> float:
        return self.random.uniform(self.p.low, self.p.high)

    def employed_salaries(self) -> list[float]:
        return [r.salary for r in self.agents_by_type[Researcher] if r.employer is not None]

    def employed_salaries_mean(self) -> float:
        salaries = self.employed_salaries()
        return sum(salaries) / max(len(salaries), 1)

    def step(self) -> None:
        researchers = self.agents_by_type[Researcher]
        researchers.shuffle_do("search")
        researchers.shuffle_do("separate")
        self.agents_by_type[Employer].shuffle_do("hire")
        self.datacollector.collect(self)
