"""Demo funds in place for signed projects (this year and last), the province's USD rates,
and county targets. Most money is confirmed by the county's manager some days after its
month; the latest months partly await 认定; some months bring a bank loan or government
money, recorded and left out of the indicator; 境外 money is recorded in 万美元."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from crm.core.clock import days_in_year
from crm.core.db import db
from crm.files.generated import DEMO_NOTE, attach_generated_pdf, chinese_date
from crm.funds import rates
from crm.funds.models import (
    FOREIGN_ORIGIN,
    FUND_ORIGINS,
    NOT_EXCLUDED,
    CountyTarget,
    ExchangeRate,
    FundsRecord,
)
from crm.projects.demo import first_on_open_project
from crm.projects.models import STAGES, Project
from crm.util.money import quantize_wan

FUNDED_STAGES = STAGES[STAGES.index("signed") :]
ORIGIN_WEIGHTS = {"out_of_province": 5, "in_province": 3, "in_city": 1, "foreign": 1}
# Months whose money a manager has had time to confirm: older than this many days.
CONFIRMED_AFTER_DAYS = 45


def months_between(first: date, last: date):
    """The first day of every month from ``first``'s to ``last``'s, both included."""
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield date(year, month, 1)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _load_rates(ctx, first: date) -> dict[tuple[int, date], Decimal]:
    """A plausible CNY-per-USD rate (7.05–7.30) for every month of each demo province."""
    province_ids = sorted({rates.province_id_of(county.id) for county in ctx.counties})
    entered_by = ctx.users.get("province")
    table = {}
    for province_id in province_ids:
        for month in months_between(first, ctx.today):
            rate = (Decimal("7.05") + Decimal(ctx.rng.randint(0, 2500)) / 10000).quantize(Decimal("0.0001"))
            db.session.add(
                ExchangeRate(
                    province_id=province_id,
                    month=month,
                    cny_per_usd=rate,
                    source="示例数据：当月人民币对美元折算率",
                    entered_by_id=entered_by.id if entered_by else None,
                )
            )
            table[province_id, month] = rate
    return table


def _money(origin: str, amount_wan: Decimal, rate: Decimal) -> dict:
    """The record's amounts: 境外 money in whole 万美元 and converted, the rest in 万元."""
    if origin != FOREIGN_ORIGIN:
        return {"amount_wan": amount_wan}
    dollars = max(quantize_wan(amount_wan / rate), Decimal("0.01"))
    return {"amount_usd_wan": dollars, "usd_rate": rate, "amount_wan": rates.convert(dollars, rate)}


def load_demo(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    origins = list(ORIGIN_WEIGHTS)
    weights = list(ORIGIN_WEIGHTS.values())
    first_month = date(today.year - 1, 1, 1)
    rate_table = _load_rates(ctx, first_month)
    projects = (
        db.session.execute(select(Project).where(Project.stage.in_(FUNDED_STAGES)).order_by(Project.id))
        .scalars()
        .all()
    )
    this_year = date(today.year, 1, 1)
    ytd = {county.id: Decimal(0) for county in ctx.counties}
    for project in projects:
        first = max(project.signed_on or first_month, first_month)
        planned = project.planned_investment_wan or Decimal(rng.randint(2000, 50000))
        main_origin = (
            project.capital_origin
            if project.capital_origin in FUND_ORIGINS
            else rng.choices(origins, weights)[0]
        )
        manager = ctx.county_users.get(project.county_id, {}).get("manager")
        province_id = rates.province_id_of(project.county_id)
        for number, month in enumerate(months_between(first, today)):
            if rng.random() < 0.4:
                continue
            kinds = {(main_origin, NOT_EXCLUDED)}
            if rng.random() < 0.25:
                kinds.add((rng.choices(origins, weights)[0], NOT_EXCLUDED))
            if rng.random() < 0.1:  # a bank loan drawn for the project: recorded, not counted
                kinds.add((main_origin, "bank_loan"))
            if rng.random() < 0.04:
                kinds.add(("in_city", "government"))
            # Confirmed some days after the month, unless the month is too recent.
            confirm_on = month + timedelta(days=rng.randint(35, 60))
            for origin, exclusion in sorted(kinds):
                amount = quantize_wan(planned * Decimal(rng.randint(10, 60)) / Decimal(1000))
                confirmed = (
                    exclusion == NOT_EXCLUDED
                    and manager is not None
                    and (today - month).days > CONFIRMED_AFTER_DAYS
                    and confirm_on <= today
                )
                record = FundsRecord(
                    county_id=project.county_id,
                    project_id=project.id,
                    month=month,
                    origin=origin,
                    exclusion=exclusion,
                    evidence_ref=f"JZ{month:%Y%m}-{project.id:04d}-{number:02d}",
                    created_by_id=project.owner_id,
                    confirmed_at=datetime.combine(confirm_on, time(9)) if confirmed else None,
                    confirmed_by_id=manager.id if confirmed else None,
                    **_money(origin, amount, rate_table[province_id, month]),
                )
                db.session.add(record)
                if confirmed and month >= this_year and project.county_id in ytd:
                    ytd[project.county_id] += record.amount_wan
    share_elapsed = Decimal(today.timetuple().tm_yday) / days_in_year(today.year)
    for county in ctx.counties:
        # Sized so the county sits near its 序时进度 (time-proportional target): 90–110 %.
        on_schedule = ytd[county.id] / share_elapsed if ytd[county.id] else Decimal(50000)
        # A bureau's target is a round figure: whole hundreds of 万元.
        target = (on_schedule / Decimal(rng.randint(90, 110)) * 100).quantize(Decimal("1E2"))
        db.session.add(
            CountyTarget(
                county_id=county.id,
                year=today.year,
                funds_target_wan=quantize_wan(max(target, Decimal(1000))),
                signed_projects_target=rng.randint(12, 20),
            )
        )
    _attach_vouchers(ctx)


def _attach_vouchers(ctx) -> None:
    """A payment voucher (拨付凭证, a generated PDF) on each county's first confirmed funds
    record of a project that is not confidential, uploaded by the project's owner."""
    for county in ctx.counties:
        record = first_on_open_project(
            select(FundsRecord)
            .join(Project, Project.id == FundsRecord.project_id)
            .where(
                FundsRecord.county_id == county.id,
                FundsRecord.confirmed_at.is_not(None),
                FundsRecord.exclusion == NOT_EXCLUDED,
            )
            .order_by(FundsRecord.month, FundsRecord.id)
        )
        if record is None:
            continue
        project = record.project
        attach_generated_pdf(
            "funds",
            record,
            kind="payment_voucher",
            filename=f"{record.evidence_ref} 拨付凭证.pdf",
            title="到位资金拨付凭证",
            lines=[
                f"凭证编号：{record.evidence_ref}",
                f"项目名称：{project.name}",
                f"到位月份：{record.month.year}年{record.month.month}月",
                f"资金来源：{FUND_ORIGINS[record.origin]}",
                f"到位金额：{record.amount_wan} 万元",
                f"认定日期：{chinese_date(record.confirmed_at.date())}",
                DEMO_NOTE,
            ],
            by=project.owner,
        )
