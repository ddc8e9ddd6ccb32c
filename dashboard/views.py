"""The ready-made views linked from the home page: a set of indicators for one region, side by side."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class View:
    """A named view: one region, its indicators (in display order) and a year range."""

    name: str
    region: str  # the name shown
    code: str  # its code (统计用区划代码)
    indicators: tuple[str, ...]
    year_from: int
    year_to: int
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh

    def description(self, lang: str) -> str:
        return self.description_en if lang == "en" else self.description_zh


VIEWS: dict[str, View] = {
    v.name: v
    for v in (
        View(
            name="zhengzhou",
            region="郑州市",
            code="4101",
            indicators=(
                "poor_villages",
                "villages_exited_poverty",
                "poor_households",
                "lifted_households",
                "remaining_poor_households",
                "monitored_households",
                "poor_population",
                "lifted_population",
                "remaining_poor_population",
            ),
            year_from=2013,
            year_to=2022,
            title_zh="郑州市 2013 → 2022：建档立卡到巩固成果",
            title_en="Zhengzhou 2013 → 2022: from the register to consolidation",
            description_zh="2013年底建档立卡贫困村、户、人，对照2018年底贫困村退出、累计脱贫户数和人数，"
            "以及2022年的脱贫户、剩余贫困人口和防返贫监测对象。",
            description_en="Registered poor villages, households and persons at the end of 2013, "
            "against the villages exited and households and persons lifted by 2018, and the 2022 "
            "figures: lifted households, remaining poor and households under monitoring.",
        ),
        View(
            name="jiangsu",
            region="江苏省",
            code="32",
            indicators=(
                "poor_population",
                "lifted_population",
                "lifted_population_annual",
                "remaining_poor_population",
                "remaining_poor_households",
                "weak_villages",
                "poverty_exit_rate",
            ),
            year_from=2016,
            year_to=2020,
            title_zh="江苏省脱贫致富奔小康工程进展",
            title_en="Jiangsu: progress of the anti-poverty programme",
            description_zh="2016年初建档立卡低收入人口及动态调整后的人数，累计脱贫人数、2019年当年脱贫人数、"
            "剩余未脱贫的6户17人，以及省定经济薄弱村达标情况。",
            description_en="Registered low-income population in early 2016 and after adjustment, "
            "persons lifted in total and in 2019, the 6 households / 17 persons remaining, and the "
            "economically weak villages reaching the standard.",
        ),
    )
}
