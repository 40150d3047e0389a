"""Starting points for businesses returnees often start: every number is ILLUSTRATIVE.

Made up for teaching, in Philippine pesos; not statistics and not advice. The owner changes
them. Women run every kind of business here (a store, food, tailoring, transport, farming,
online selling), with husbands, parents and children who help.

>>> sorted(TEMPLATES)[:3]
['food_stall', 'online_selling', 'pigs']
>>> from widgets.business.model import analyse
>>> all(analyse(plan).capital.total > 0 for plan in TEMPLATES.values())
True
"""

from __future__ import annotations

from dataclasses import replace

from widgets import loans
from widgets.business.model import BusinessPlan, Equipment, Funding, Profile

__all__ = ["TEMPLATES"]


def _templates() -> dict[str, BusinessPlan]:
    own = Funding("My savings from work abroad", "own_savings", 0.0)
    return {
        "sari_sari_store": BusinessPlan(
            name="Ate Lorna's sari-sari store",
            profile=Profile(
                owner="Lorna, back after six years as a domestic worker abroad; her husband "
                      "Ben helps in the evenings.",
                idea="A neighbourhood store in the front room of the family house.",
                customers="Families on the street and children going to the school nearby.",
                competitors="Two stores at the corner; a supermarket in town.",
                product="Rice, canned goods, snacks, soap, phone load, cold drinks.",
                price_note="One unit is 100 pesos of goods at shelf price.",
                place="Front room of the house, facing the school road.",
                promotion="Fair prices, clean shelves, open early.",
                staff="Lorna; Ben in the evenings.",
                legal_form="Sole proprietor (Lorna).",
                registration="Local business permit: ask the municipal office.",
            ),
            price=100.0, materials_per_unit=82.0, units_per_month=900.0,
            seasonality=(0.9, 0.9, 1.0, 1.0, 1.0, 1.1, 1.0, 1.0, 0.95, 0.95, 1.0, 1.2),
            fixed_costs=9_000.0,
            equipment=(Equipment("Shelves and counter", 15_000.0, 5.0),
                       Equipment("Chest freezer", 18_000.0, 5.0)),
            preopening=12_000.0, first_stock=40_000.0, working_capital=15_000.0,
            credit_sales_pct=10.0,
            funding=(replace(own, amount=60_000.0),
                     Funding("Gift from her sister", "family", 10_000.0),
                     loans.cooperative(20_000.0, yearly_rate_pct=12, months=12,
                                       name="Cooperative loan"),
                     # the common 5-6: 10,000 now, 200 a day for 60 days
                     loans.five_six(10_000.0, payments=60, every="day",
                                    name="Informal lender (5-6)")),
        ),
        "food_stall": BusinessPlan(
            name="Mercy's food stall",
            profile=Profile(
                owner="Mercy, a returnee who cooked for a family abroad for eight years.",
                idea="Home-style meals at lunchtime near the market.",
                customers="Market vendors, tricycle drivers, office workers.",
                competitors="Three eateries in the market; street vendors.",
                product="Rice meals with one viand; snacks in the afternoon.",
                price_note="One unit is one rice meal.",
                place="A rented stall at the side of the public market.",
                promotion="A board with the day's menu; a free drink on Mondays.",
                staff="Mercy and one paid helper; her daughter on weekends.",
                legal_form="Sole proprietor.",
                registration="Local business permit and a health certificate for food handlers.",
            ),
            price=70.0, materials_per_unit=38.0, units_per_month=1_000.0,
            seasonality=(1.0, 0.95, 1.0, 1.0, 1.05, 1.1, 1.0, 0.95, 0.95, 1.0, 1.0, 1.15),
            fixed_costs=24_500.0,
            equipment=(Equipment("Cooking set and gas stove", 12_000.0, 3.0),
                       Equipment("Cart, tables and chairs", 20_000.0, 5.0),
                       Equipment("Refrigerator", 15_000.0, 5.0)),
            preopening=8_000.0, first_stock=8_000.0, working_capital=15_000.0,
            funding=(replace(own, amount=50_000.0),
                     loans.government(30_000.0, yearly_rate_pct=6, months=24,
                                      name="Government soft loan, no collateral")),
        ),
        "tailoring": BusinessPlan(
            name="Nita's tailoring shop",
            profile=Profile(
                owner="Nita, a returnee who sewed for a garment factory abroad.",
                idea="Made-to-measure dresses, school uniforms and repairs.",
                customers="Mothers before the school year; women for fiestas and weddings.",
                competitors="One tailor in the next village; ready-made clothes in town.",
                product="Dresses, uniforms, alterations.",
                price_note="One unit is one dress or uniform.",
                place="A room at home with a window on the street.",
                promotion="Samples in the window; a discount for a second uniform.",
                staff="Nita; a neighbour sews on piece rate when there is a rush.",
                legal_form="Sole proprietor; later perhaps a cooperative of tailors.",
                registration="Local business permit.",
            ),
            price=450.0, materials_per_unit=150.0, labour_per_unit=60.0, units_per_month=70.0,
            seasonality=(0.8, 0.8, 0.9, 1.0, 1.5, 1.5, 0.9, 0.8, 0.8, 0.9, 1.0, 1.1),
            fixed_costs=9_000.0,
            equipment=(Equipment("Industrial sewing machine", 25_000.0, 8.0),
                       Equipment("Overlock machine", 18_000.0, 8.0),
                       Equipment("Cutting table and tools", 6_000.0, 4.0)),
            preopening=3_000.0, first_stock=10_000.0, working_capital=12_000.0,
            credit_sales_pct=20.0,
            funding=(replace(own, amount=40_000.0),
                     loans.cooperative(34_000.0, yearly_rate_pct=12, months=18,
                                       name="Cooperative loan")),
        ),
        "tricycle": BusinessPlan(
            name="Jun and Tess's tricycle",
            profile=Profile(
                owner="Tess, back from care work abroad; her husband Jun drives.",
                idea="A motorbike with a sidecar carrying passengers on a town route.",
                customers="Students, market-goers, people going to the health centre.",
                competitors="Other tricycles on the route; jeepneys on the main road.",
                product="Rides on the route and hired trips.",
                price_note="One unit is one trip.",
                place="The route between the market and the villages.",
                promotion="Safe driving; regular morning trips for students.",
                staff="Jun drives; Tess keeps the records.",
                legal_form="Sole proprietor (Tess), Jun as driver.",
                registration="Vehicle registration and a local franchise to operate.",
            ),
            price=25.0, materials_per_unit=7.0, units_per_month=1_200.0,
            seasonality=(1.0, 1.0, 1.0, 0.9, 0.85, 1.05, 1.05, 0.95, 0.95, 1.0, 1.05, 1.15),
            fixed_costs=12_000.0,
            equipment=(Equipment("Motorbike with sidecar", 150_000.0, 5.0),),
            preopening=8_000.0, working_capital=8_000.0,
            funding=(replace(own, amount=66_000.0),
                     loans.microfinance(100_000.0, flat_monthly_rate_pct=1.5, payments=24,
                                        name="Microfinance loan")),
        ),
        "poultry": BusinessPlan(
            name="Rosa's broiler chickens",
            profile=Profile(
                owner="Rosa, a returnee, with her parents who have a backyard.",
                idea="Raising broiler chickens in batches for the town market.",
                customers="Market dealers, eateries, neighbours for fiestas.",
                competitors="Larger farms; frozen chicken in the supermarket.",
                product="Live and dressed broilers.",
                price_note="One unit is one bird, sold live.",
                place="A poultry house in the family's backyard.",
                promotion="Steady supply to two eateries; orders taken by phone.",
                staff="Rosa and her father.",
                legal_form="Sole proprietor; member of the farmers' cooperative.",
                registration="Local business permit; ask the agriculture office about rules.",
            ),
            price=190.0, materials_per_unit=155.0, units_per_month=400.0,
            seasonality=(0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.3),
            fixed_costs=6_000.0,
            equipment=(Equipment("Poultry house", 60_000.0, 10.0),
                       Equipment("Feeders and drinkers", 8_000.0, 3.0),
                       Equipment("Brooder", 5_000.0, 3.0)),
            preopening=5_000.0, first_stock=60_000.0, working_capital=30_000.0,
            credit_sales_pct=30.0,
            funding=(replace(own, amount=90_000.0),
                     Funding("Help from her parents", "family", 20_000.0),
                     loans.government(60_000.0, yearly_rate_pct=6, months=24,
                                      name="Government soft loan, no collateral")),
        ),
        "pigs": BusinessPlan(
            name="Dolores's backyard piggery",
            profile=Profile(
                owner="Dolores, back from domestic work abroad; her son helps.",
                idea="Fattening pigs in batches, sold to traders and for fiestas.",
                customers="Traders who come to the village; families before fiestas.",
                competitors="Other backyard raisers; commercial farms.",
                product="Fattened pigs, sold live.",
                price_note="One unit is one fattened pig.",
                place="A pen behind the house, away from the neighbours' well.",
                promotion="Word of mouth; orders taken early for December.",
                staff="Dolores and her son.",
                legal_form="Sole proprietor; member of a cooperative.",
                registration="Local business permit; ask the agriculture office about rules.",
            ),
            price=16_000.0, materials_per_unit=12_500.0, units_per_month=2.0,
            seasonality=(0.0, 0.0, 0.0, 0.0, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 3.6),
            fixed_costs=3_000.0,
            equipment=(Equipment("Pig pen", 50_000.0, 10.0),
                       Equipment("Water system", 8_000.0, 5.0)),
            preopening=3_000.0, first_stock=60_000.0, working_capital=25_000.0,
            funding=(replace(own, amount=96_000.0),
                     loans.cooperative(50_000.0, yearly_rate_pct=12, months=24,
                                       name="Cooperative loan")),
            horizon_years=5,  # pens last; the first batch takes months to grow
        ),
        "online_selling": BusinessPlan(
            name="Liza's online shop",
            profile=Profile(
                owner="Liza, a returnee with young children at home.",
                idea="Selling dried fish and snacks from her province online.",
                customers="Families in the city and workers abroad sending gifts home.",
                competitors="Other online sellers; stores in the city.",
                product="Packed dried fish, local snacks, gift bundles.",
                price_note="One unit is one order.",
                place="Online shops and social media; packing at home.",
                promotion="Photos, reviews, a bundle for the holidays.",
                staff="Liza; her husband brings parcels to the courier.",
                legal_form="Sole proprietor.",
                registration="Register the business name; local business permit.",
            ),
            price=350.0, materials_per_unit=240.0, units_per_month=180.0,
            seasonality=(0.8, 0.9, 0.9, 1.0, 1.0, 0.9, 0.9, 0.9, 1.0, 1.1, 1.3, 1.6),
            fixed_costs=12_000.0,
            equipment=(Equipment("Smartphone", 12_000.0, 3.0),
                       Equipment("Ring light and label printer", 4_000.0, 3.0)),
            preopening=2_000.0, first_stock=30_000.0, working_capital=25_000.0,
            credit_sales_pct=30.0,
            funding=(replace(own, amount=73_000.0),),
        ),
    }


TEMPLATES: dict[str, BusinessPlan] = _templates()
"""Starting points for businesses returnees often start. Every number is ILLUSTRATIVE: made up
for teaching, in Philippine pesos, not statistics and not advice. The owner changes them."""
