"""Hypothesis strategies for the business-plan model: valid plans and loans, kept small."""

from __future__ import annotations

from hypothesis import strategies as st

from widgets import loans as widget_loans
from widgets.business.model import BusinessPlan, Equipment, Funding, Loan, Profile


def amounts(high: float = 100_000.0) -> st.SearchStrategy[float]:
    """An amount of money, with zero and whole numbers likely."""
    return st.one_of(
        st.just(0.0),
        st.integers(0, int(high)).map(float),
        st.floats(0.0, high, allow_nan=False, allow_infinity=False),
    )


def positive(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


@st.composite
def loans(draw: st.DrawFn, repaid: bool = True) -> Loan:
    """A loan a returnee might take, from each lender's own way of stating it."""
    amount = draw(positive(1.0, 500_000.0))
    name = draw(st.sampled_from(["Cooperative loan", "Microfinance", "Utang kay Aling Nena"]))
    kind = draw(st.sampled_from(["declining", "flat", "five_six", "pawnshop", "relative"]))
    if kind == "declining":
        return widget_loans.declining(draw(st.sampled_from(["bank", "cooperative", "government"])),
                                      amount, yearly_rate_pct=draw(st.floats(0.0, 200.0)),
                                      payments=draw(st.integers(1, 60)), name=name)
    if kind == "flat":
        return widget_loans.microfinance(amount, flat_monthly_rate_pct=draw(st.floats(0.0, 30.0)),
                                         payments=draw(st.integers(1, 60)),
                                         every=draw(st.sampled_from(["week", "month"])), name=name)
    if kind == "five_six":
        return widget_loans.five_six(amount, draw(st.integers(1, 60)),
                                     draw(st.sampled_from(["day", "week", "month"])), name=name)
    if kind == "pawnshop":
        return widget_loans.pawnshop(amount, monthly_rate_pct=draw(st.floats(0.0, 10.0)),
                                     months=draw(st.integers(1, 24)), name=name)
    return widget_loans.relative(amount, draw(st.integers(1, 24)), name=name)


def gifts() -> st.SearchStrategy[Funding]:
    """Money that is not repaid: own savings or a family gift."""
    return st.builds(
        Funding,
        name=st.just("Savings"),
        source=st.sampled_from(["own_savings", "family", "grant"]),
        amount=amounts(300_000.0),
    )


def equipment() -> st.SearchStrategy[Equipment]:
    return st.builds(
        Equipment,
        name=st.sampled_from(["Freezer", "Sewing machine", "Motorbike"]),
        cost=amounts(200_000.0),
        life_years=positive(0.25, 15.0),
    )


@st.composite
def plans(draw: st.DrawFn, price_covers_unit_cost: bool = False) -> BusinessPlan:
    """A valid plan. With ``price_covers_unit_cost`` the price is at least the unit cost
    (materials and labour), the domain in which the three cases are ordered."""
    materials = draw(amounts(500.0))
    labour = draw(amounts(200.0))
    if price_covers_unit_cost:
        price = materials + labour + draw(amounts(500.0))
    else:
        price = draw(amounts(1_000.0))
    return BusinessPlan(
        name=draw(st.sampled_from(["", "Ate Lorna's store", "Warung Bu Sri"])),
        profile=Profile(owner=draw(st.sampled_from(["", "Lorna"]))),
        price=price,
        materials_per_unit=materials,
        labour_per_unit=labour,
        units_per_month=draw(amounts(2_000.0)),
        seasonality=tuple(draw(st.lists(positive(0.0, 3.0), min_size=12, max_size=12))),
        fixed_costs=draw(amounts(50_000.0)),
        equipment=tuple(draw(st.lists(equipment(), max_size=3))),
        preopening=draw(amounts(20_000.0)),
        first_stock=draw(amounts(50_000.0)),
        working_capital=draw(amounts(50_000.0)),
        credit_sales_pct=draw(st.one_of(st.just(0.0), positive(0.0, 100.0))),
        funding=tuple(draw(st.lists(st.one_of(gifts(), loans()), max_size=4))),
        discount_yearly_rate_pct=draw(positive(0.0, 50.0)),
        horizon_years=draw(st.integers(1, 5)),
    )
