"""Texts in a company's language: number formats, plural forms, stage sentences."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from orient import i18n, priorities, report, satisfaction
from orient.i18n.sentences import _env

NNBSP = "\u00a0"  # CLDR (Babel) Russian thousands separator: no-break space


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, "пункт"),
        (2, "пункта"),
        (5, "пунктов"),
        (11, "пунктов"),
        (21, "пункт"),
        (22, "пункта"),
        (112, "пунктов"),
        (0, "пунктов"),
        (1.6, "пункта"),
        (0.5, "пункта"),
        (-1, "пункт"),  # fractions: genitive singular
    ],
)
def test_russian_plural_forms(value, expected):
    # Russian grammar (Zaliznyak): 1, 21 -> nominative singular; 2-4, 22 -> genitive
    # singular; 5-20, 0, 11-14 -> genitive plural; decimal fractions -> genitive singular
    assert i18n.plural_word(value, "пункт", "пункта", "пунктов", language="ru") == expected


def test_report_keeps_its_number_helpers():
    # orient.report re-exports the helpers of orient.i18n
    assert report.format_number is i18n.format_number
    assert report.format_number(1234.5, "ru") == f"1{NNBSP}234,5"
    assert report.plural(3, ["волна", "волны", "волн"], "ru") == "волны"


def test_sentence_filters_plural_follows_the_number_as_shown():
    # 1.04 is shown as "1,0" -> 1 with one decimal is still a fraction form in Russian
    # speech ("1,0 пункта"); with 0 decimals it is "1 пункт"
    assert (
        _env("ru")
        .from_string("{{ v|num(0) }} {{ v|plural(0, 'пункт', 'пункта', 'пунктов') }}")
        .render(v=1.04)
        == "1 пункт"
    )
    assert (
        _env("ru")
        .from_string("{{ v|num(1) }} {{ v|plural(1, 'пункт', 'пункта', 'пунктов') }}")
        .render(v=1.64)
        == "1,6 пункта"
    )


def test_unknown_language_and_key():
    with pytest.raises(ValueError, match="language"):
        i18n.sentence("priorities.no_improve", "de")
    with pytest.raises(KeyError, match="no_such"):
        i18n.sentence("priorities.no_such", "ru")


def test_every_sentence_exists_in_both_languages():
    def keys(node, prefix=""):
        for k, v in node.items():
            if isinstance(v, dict):
                yield from keys(v, f"{prefix}{k}.")
            else:
                yield prefix + k

    assert set(keys(i18n.texts("en")["sentences"])) == set(keys(i18n.texts("ru")["sentences"]))


def _priority_table():
    # a hand-made priorities table: two to improve, one advantage, one "do not cut"
    return pd.DataFrame(
        {
            "label": ["Надёжность поставок", "Срок поставки", "Техподдержка", "Упаковка"],
            "importance": [0.18, 0.13, 0.11, 0.05],
            "performance": [-8.2, -1.0, 4.4, 2.0],
            "competitor": [np.nan] * 4,
            "quadrant": ["improve", "improve", "keep_advantage", "maintain_or_reduce"],
            "do_not_cut": [False, False, False, True],
        },
        index=["rel", "lead", "tech", "pack"],
    )


def test_priorities_narrative_in_russian():
    out = priorities.narrative(
        _priority_table(), competitor="Балтийский завод", r2=0.674, n=1357, language="ru"
    )
    assert out == [
        f"4 характеристики вместе объясняют 67% различий в общей удовлетворённости клиентов "
        f"(база: 1{NNBSP}357 респондентов).",
        "Надёжность поставок — 18% веса в общей удовлетворённости; отставание от конкурента "
        "(Балтийский завод) — 8 пунктов: улучшать в первую очередь.",
        "Срок поставки — 13% веса в общей удовлетворённости; отставание от конкурента "
        "(Балтийский завод) — 1 пункт: улучшать.",
        "Техподдержка — 11% веса в общей удовлетворённости; преимущество перед конкурентом "
        "(Балтийский завод) — 4 пункта: сохранять преимущество.",
        "Упаковка — базовый фактор: пока с ним всё в порядке, его вес невелик, но урезать его "
        "нельзя — сбой здесь обходится дорого.",
    ]


def test_priorities_narrative_in_english_is_unchanged():
    out = priorities.narrative(_priority_table().head(1), competitor=None, r2=0.5, n=21)
    assert out == [
        "The 1 attributes together explain 50% of the variation in overall satisfaction "
        "(21 respondents).",
        "Надёжность поставок carries 18% of the weight in overall satisfaction and trails "
        "the main competitor by 8 points: improve first.",
    ]


def test_priorities_narrative_without_weakness_and_one_attribute():
    table = _priority_table().iloc[[2]]
    assert priorities.narrative(table, r2=0.21, n=1, language="ru") == [
        "1 характеристика вместе объясняет 21% различий в общей удовлетворённости клиентов "
        "(база: 1 респондент).",
        "Ни по одной характеристике с весом выше среднего мы не отстаём: срочно исправлять нечего.",
        "Техподдержка — 11% веса в общей удовлетворённости; преимущество перед конкурентом "
        "— 4 пункта: сохранять преимущество.",
    ]


def test_wave_change_sentence_in_russian():
    text = satisfaction._plain_change(
        "Satisfaction index",
        "index",
        "2025",
        "2026",
        63.8,
        65.4,
        1.6,
        -1.55,
        4.71,
        0.3251,
        False,
        0.95,
        "ru",
    )
    assert text == (
        "Явного изменения нет: разница в пределах случайных колебаний выборки. "
        "Индекс удовлетворённости: 63,8 (2025) → 65,4 (2026), изменение +1,6 пункта "
        "(доверительный интервал 95%: от -1,6 до +4,7 пункта; p = 0,325)."
    )
    text = satisfaction._plain_change(
        "NPS", "nps", "I", "II", -12.0, 3.0, 15.0, 2.0, 28.0, 0.01, True, 0.95, "ru"
    )
    assert text == (
        "Да, это реальный рост. Индекс NPS: -12,0 (I) → 3,0 (II), изменение +15,0 пунктов "
        "(доверительный интервал 95%: от +2,0 до +28,0 пунктов; p = 0,010)."
    )
    text = satisfaction._plain_change(
        "Overall satisfaction, top-2-box %",
        "top2",
        "I",
        "II",
        70.0,
        60.0,
        -10.0,
        -15.0,
        -5.0,
        0.001,
        True,
        0.9,
        "ru",
    )
    assert text.startswith(
        "Да, это реальное снижение. Общая удовлетворённость, доля top-2-box: "
        "70,0 (I) → 60,0 (II), изменение -10,0 п. п. (доверительный "
        "интервал 90%:"
    )


def test_wave_change_answers_follow_the_language():
    # two waves of 40 answers each, one of 10 (suppressed at min_base 30)
    data = pd.DataFrame(
        {
            "wave": ["a"] * 40 + ["b"] * 40 + ["c"] * 10,
            "overall": [3, 4] * 20 + [4, 5] * 20 + [5] * 10,
        }
    )
    ru = satisfaction.wave_change(data, "wave", "overall", kind="mean", language="ru")
    en = satisfaction.wave_change(data, "wave", "overall", kind="mean")
    assert ru["answer"][0] == "первая волна" and en["answer"][0] == "first wave"
    assert ru["answer"][2] == "не сравнивается: в одной из волн n < 30"
    # means 3.5 -> 4.5 (hand calculation), shown with two decimals
    assert "3,50 (a) → 4,50 (b), изменение +1,00 (" in ru["answer"][1]
    assert "rose from 3.50 (a) to 4.50 (b), +1.00 (" in en["answer"][1]
    with pytest.raises(ValueError, match="language"):
        satisfaction.wave_change(data, "wave", "overall", language="fr")


@pytest.mark.parametrize(
    ("key", "values", "expected"),
    [
        (
            "service.risk_level",
            {"level": 0.712, "target": 0.8, "target_s": 20.0, "below": 0.35},
            "уровень обслуживания 71% при цели 80% за 20 с; цель не достигнута в 35% интервалов",
        ),
        (
            "service.risk_abandon",
            {"abandon": 0.0826, "limit": 0.05},
            "8,3% звонящих кладут трубку, не дождавшись ответа (допустимо не более 5%)",
        ),
        (
            "service.risk_claims_late",
            {"late": 0.42, "days": 21},
            "42% рекламаций рассматриваются дольше целевого срока в 21 день",
        ),
        (
            "service.risk_claims_old",
            {"old": 3, "band": "90", "share": 0.25},
            "3 открытые рекламации старше 90 дней (25% всех открытых)",
        ),
        (
            "service.risk_claims_old",
            {"old": 21, "band": "21", "share": 0.5},
            "21 открытая рекламация старше 21 дня (50% всех открытых)",
        ),
        (
            "quality.risk_out_of_control",
            {"n_out": 1, "n_points": 25, "label": "толщина", "chart": "xbar"},
            "1 из 25 выборок на контрольной карте xbar («толщина») указывает на выход процесса из "
            "статистически управляемого состояния",
        ),
        (
            "quality.risk_not_capable",
            {"label": "толщина, мм", "cpk": 0.9213, "ppm": 3583.4},
            "недостаточная воспроизводимость процесса: «толщина, мм» — Cpk 0,92 (ниже 1,33), за "
            f"пределами допуска ожидается около 3{NNBSP}583 ppm",
        ),
        (
            "crm.risk_refusal",
            {"share": 0.4, "reason": "цена"},
            "40% проигранных сделок с указанной причиной проиграны по одной и той же причине: цена",
        ),
        (
            "crm.risk_overdue",
            {"share": 0.18, "overdue": 1250000.0},
            f"18% дебиторской задолженности просрочено (1{NNBSP}250{NNBSP}000 не оплачено в срок)",
        ),
    ],
)
def test_operational_risks_in_russian(key, values, expected):
    # hand-written Russian: plural of "рекламация" after 3 (few) and 21 (one);
    # "старше 21 дня" (genitive singular after 21), "старше 90 дней"
    assert i18n.sentence(key, "ru", **values) == expected


def test_operational_risks_in_english_are_unchanged():
    assert i18n.sentence(
        "service.risk_level", "en", level=0.712, target=0.8, target_s=20.0, below=0.35
    ) == ("service level 71% against a target of 80% in 20 s; 35% of intervals miss it")
    assert i18n.sentence("service.risk_claims_late", "en", late=0.42, days=7.5) == (
        "42% of claims take longer than the 7.5-day target to resolve"
    )
    assert i18n.sentence(
        "quality.risk_not_capable", "en", label="thickness mm", cpk=0.9213, ppm=3583.4
    ) == (
        "process not capable: thickness mm has Cpk 0.92 "
        "(below 1.33), about 3,583 ppm expected outside "
        "specification"
    )


def test_segment_direction_reason_in_russian():
    # hand-written Russian: 1,4 пункта (a fraction takes the genitive singular)
    from orient import strategy

    text = strategy.direction_reason(
        "Европа",
        "incremental",
        size_share=50.0,
        high_volume=True,
        premium=False,
        gap=-1.4,
        large_gap=False,
        gap_threshold=2.5,
        language="ru",
    )
    assert text == (
        "Европа: постепенное улучшение. Крупный сегмент (50% клиентов), отставание от "
        "главного конкурента — 1,4 пункта по шкале 0–100: большого разрыва нет, "
        "поэтому следует продолжать доработки и защищать объём. (Большим считается "
        "отставание от конкурента на 2,5 пункта и более.)"
    )
    en = strategy.direction_reason(
        "Europe",
        "incremental",
        size_share=50.0,
        high_volume=True,
        premium=False,
        gap=-1.4,
        large_gap=False,
        gap_threshold=2.5,
    )
    assert en == (
        "Europe: incremental improvement. A high-volume segment (50% of customers), "
        "trailing the main competitor by 1.4 points on a 0-100 scale: no large gap to "
        "close, so keep refining and protect the volume. (A large gap is 2.5 points or "
        "more behind the competitor.)"
    )


def test_goal_conflicts_in_russian():
    from orient import strategy

    goals = pd.DataFrame(
        {
            "perspective": ["process"],
            "label": ["Логистика"],
            "attributes": [["rel"]],
            "intent": ["cut_cost"],
        },
        index=["log"],
    )
    matrix = pd.DataFrame({"quadrant": ["improve"]}, index=["rel"])
    out = strategy.goal_conflicts(goals, matrix, labels={"rel": "Надёжность"}, language="ru")
    assert list(out["reason"]) == [
        "цель «Логистика» сокращает затраты на «Надёжность», а этап III требует это улучшать: "
        "клиенты считают это важным, а оценки компании низкие",
        "в перспективе «клиенты» нет ни одной цели: система показателей не сбалансирована",
        "в перспективе «персонал» нет ни одной цели: система показателей не сбалансирована",
        "в перспективе «финансы» нет ни одной цели: система показателей не сбалансирована",
    ]
    en = strategy.goal_conflicts(goals, matrix, labels={"rel": "Reliability"})
    assert en["reason"][0] == (
        "goal 'Логистика' cuts cost on 'Reliability', which stage III says "
        "to improve: customers rate it important and the company performs "
        "poorly on it"
    )


def test_plots_in_russian():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from orient.present import plots

    drivers = pd.DataFrame({"share": [0.6, 0.4]}, index=["a", "b"])
    drivers.attrs["r2"] = 0.5
    fig, ax = plt.subplots()
    ax.set_xlim(0, 1.5)
    plots.importance_plot(drivers, ax=ax, language="ru")
    assert ax.get_xlabel() == "Доля объяснённой вариации общей удовлетворённости, %"
    assert ax.get_title() == "Что определяет общую удовлетворённость (R² = 0,50)"
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ticks and all("." not in t for t in ticks)
    assert any("," in t for t in ticks) or all(t.lstrip("-−").isdigit() for t in ticks)
    fig2, ax2 = plt.subplots()
    plots.importance_plot(drivers, ax=ax2)  # English stays as drawn
    assert ax2.get_title() == "What drives overall satisfaction (R² = 0.50)"
    plt.close("all")
    with pytest.raises(ValueError, match="language"):
        plots.importance_plot(drivers, ax=ax2, language="de")


# --- operations: key figures, missing-data messages, claim age bands -------------------


def _claims():
    # resolved in 21, 1, 2 and 4 days; one claim still open since 1 February
    return pd.DataFrame(
        {
            "claim_id": [1, 2, 3, 4, 5],
            "customer_id": [1, 2, 3, 4, 5],
            "received": pd.to_datetime(["2026-01-01"] * 4 + ["2026-02-01"]),
            "resolved": pd.to_datetime(
                ["2026-01-22", "2026-01-02", "2026-01-03", "2026-01-05", None]
            ),
            "category": ["доставка", "доставка", "качество", "качество", "качество"],
            "amount_claimed": [100.0, 100.0, 100.0, 200.0, 500.0],
            "amount_settled": [50.0, 100.0, 100.0, 0.0, 0.0],
        }
    )


def test_service_key_figures_in_russian():
    from types import SimpleNamespace

    from orient import service

    company = SimpleNamespace(calls=None, claims=_claims(), profile=None, language="ru")
    kf = service.key_figures(service.analyse(company, as_of="2026-03-01"))
    # hand calculation: 5 claims, 1 open; resolved in 1, 2, 4, 21 days: median 3,
    # 90th percentile (linear) 4 + 0.7 * 17 = 15.9 -> 16; settled 250 of 500 claimed
    assert kf["value"].to_dict() == {
        "Поступило рекламаций": "5",
        "Рекламаций ещё не решено": "1",
        "Медиана времени решения рекламации": "3 дня",
        "9 из 10 рекламаций решаются за": "16 дней",
        "Возмещено / заявлено (по сумме)": "50,0%",
    }
    en = service.key_figures(
        service.analyse(
            SimpleNamespace(calls=None, claims=_claims(), profile=None), as_of="2026-03-01"
        )
    )
    assert en["value"].to_dict() == {
        "Claims received": "5",
        "Claims still open": "1",
        "Median time to resolve a claim": "3 days",
        "9 in 10 claims resolved within": "16 days",
        "Amount settled / amount claimed": "50.0%",
    }


@pytest.mark.parametrize(
    ("key", "values", "expected"),
    [
        (
            "service.figures.service_level",
            {"target_s": 20.0},
            "Уровень обслуживания: звонков принято в пределах 20 с",
        ),
        (
            "service.figures.over_period",
            {"label": "Стоимость недостающих операторо-часов", "days": 2.0},
            "Стоимость недостающих операторо-часов (за 2 дня)",
        ),
        (
            "service.figures.over_period",
            {"label": "Операторо-часов сверх потребности", "days": 21},
            "Операторо-часов сверх потребности (за 21 день)",
        ),
        ("service.figures.days", {"days": 1.0}, "1 день"),
        ("service.figures.days", {"days": 1234.4}, f"1{NNBSP}234 дня"),
        ("quality.figures.min_cpk", {"label": "толщина, мм"}, "Наименьший Cpk («толщина, мм»)"),
        (
            "quality.figures.sampling_plan_value",
            {"n": 89, "c": 2},
            "проверять 89 шт., принимать партию, если бракованных не больше 2",
        ),
        (
            "crm.figures.win_rate_value",
            {"rate": 0.5, "low": 0.15, "high": 0.85},
            "50% (доверительный интервал 95%: 15–85%)",
        ),
        (
            "crm.figures.top_refusal_value",
            {"reason": "цена", "share": 0.4},
            "цена (40% проигранных сделок с указанной причиной)",
        ),
        (
            "crm.figures.receivables",
            {"as_of": "2026-04-01"},
            "Дебиторская задолженность на 01.04.2026",
        ),
    ],
)
def test_operations_figure_texts_in_russian(key, values, expected):
    # hand-written Russian: "за 2 дня", "за 21 день", "1 234 дня" (4 -> genitive singular)
    assert i18n.sentence(key, "ru", **values) == expected


def test_missing_data_messages_in_russian():
    from orient import crm, quality, service

    assert service.data_needed("calls", "ru") == (
        "Данных колл-центра нет. Таблица звонков по получасовым интервалам — сколько звонков "
        "поступило, сколько принято, сколько принято вовремя и сколько брошено, а также среднее "
        "время обработки — показала бы, как быстро отвечают на звонки и сколько операторов "
        "нужно в каждый час."
    )
    assert service.data_needed("claims", "ru").startswith("Данных о рекламациях нет. Список")
    assert quality.data_needed("ru").startswith("Данных контроля качества нет. Измерения")
    assert crm.data_needed("ru").startswith("Данных о продажах нет. Список сделок из CRM")
    # English: the module constants, word for word
    assert (
        service.data_needed("calls")
        == service.DATA_NEEDED["calls"]
        == (
            "No call-centre data. A table of calls per half-hour, with the calls offered, "
            "answered, answered in time and abandoned and the average handling time, would show "
            "how quickly calls are answered and the staff each hour needs."
        )
    )
    assert crm.data_needed() == crm.DATA_NEEDED["deals"]
    assert quality.data_needed() == quality.DATA_NEEDED["quality"]
    # plain language for an executive: no input column names (snake_case) or file names
    for text in (
        *(service.data_needed(p, lang) for p in ("calls", "claims") for lang in ("en", "ru")),
        *(m.data_needed(lang) for m in (crm, quality) for lang in ("en", "ru")),
    ):
        assert not re.search(r"\b[a-z]+_[a-z_]+\b|\.csv\b", text), text
    with pytest.raises(ValueError, match="part"):
        service.data_needed("deals", "ru")


def test_claim_age_bands_in_russian():
    from types import SimpleNamespace

    from orient import service

    # open claim received 1 February; on 1 March it is 28 days old
    ru = service.claims_backlog(_claims(), as_of="2026-03-01", bins=(0, 2, 22), language="ru")
    assert list(ru["age_band"]) == ["0–1 день", "2–21 день", "22 дня и больше"]
    assert list(ru["n"]) == [0, 0, 1]
    en = service.claims_backlog(_claims(), as_of="2026-03-01")
    assert list(en["age_band"]) == ["0-6 days", "7-29 days", "30-89 days", "90+ days"]
    # 1 June: 120 days old, in the last band: the risk names the band's lower edge
    res = service.analyse(
        SimpleNamespace(calls=None, claims=_claims(), profile=None, language="ru"),
        as_of="2026-06-01",
    )
    assert list(res.claims_backlog["age_band"]) == [
        "0–6 дней",
        "7–29 дней",
        "30–89 дней",
        "90 дней и больше",
    ]
    assert service.headline(res)["risk"] == (
        "1 открытая рекламация старше 90 дней (100% всех открытых)"
    )


def test_quality_key_figures_in_russian():
    from types import SimpleNamespace

    from orient import quality

    counts = pd.DataFrame(
        {"subgroup": range(1, 11), "inspected": 50, "defective": [2, 3, 1, 2, 4, 2, 3, 2, 1, 2]}
    )
    kf = quality.key_figures(
        quality.analyse(SimpleNamespace(quality=counts, profile=None, language="ru"))
    )
    # hand calculation: p-bar = 22 / 500 = 4.40%; 3-sigma limits 0.044 +- 0.087 hold the
    # largest share, 4 / 50 = 0.08, so no subgroup is out of control
    assert kf["value"].to_dict() == {
        "Построено контрольных карт": "1",
        "Карт с сигналами выхода процесса из-под контроля": "0",
        "Выборок с такими сигналами": "0",
        "Доля брака (центральная линия)": "4,40%",
    }


def test_crm_key_figures_in_russian():
    from types import SimpleNamespace

    from orient import crm

    deals = pd.DataFrame(
        {
            "deal_id": [1, 2, 3, 4, 5],
            "manager": ["Анна"] * 5,
            "client": ["к1", "к2", "к3", "к4", "к5"],
            "stage": ["договор", "договор", "предложение", "предложение", "договор"],
            "created": pd.to_datetime(["2026-01-01"] * 5),
            "closed": pd.to_datetime(
                ["2026-01-11", "2026-01-31", "2026-01-05", "2026-01-05", "2026-01-21"]
            ),
            "outcome": ["won", "won", "lost", "lost", "won"],
            "refusal_reason": [None, None, "цена", "цена", None],
            "planned_amount": [1000.0, 1500.0, 300.0, 300.0, 500.0],
            "paid_amount": [1000.0, 250.0, 0.0, 0.0, 500.0],
            "invoice_due": pd.to_datetime(["2026-01-20", "2026-02-01", None, None, "2026-01-30"]),
        }
    )
    company = SimpleNamespace(
        deals=deals,
        min_base=3,
        language="ru",
        profile={"crm": {"stages": ["предложение", "договор"]}},
    )
    kf = crm.key_figures(crm.analyse(company, as_of="2026-04-01"), currency="руб.")
    # hand calculation: 3 won of 5 closed, Wilson (1927) 95% interval 0.231-0.882;
    # won in 10, 30, 20 days (median 20); paid 1,750 of 3,000 planned (58%); deal 2 owes
    # 1,250, due 1 February, overdue on 1 April
    assert kf["value"].to_dict() == {
        "Сделок в таблице": "5",
        "Доля выигранных среди закрытых сделок": "60% (доверительный интервал 95%: 23–88%)",
        "Медиана срока до выигрыша сделки, дней": "20",
        "Самая частая причина проигрыша": "цена (100% проигранных сделок с указанной причиной)",
        "Оплачено от плана (выигранные сделки)": "58%",
        "Дебиторская задолженность на 01.04.2026": f"1{NNBSP}250 руб.",
        "в том числе просрочено": f"1{NNBSP}250 руб.",
    }
