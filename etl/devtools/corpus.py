"""Synthetic corpus: realistic anti-poverty documents with the truth of every claim written beside them.

``python -m etl.devtools.corpus --n 10000 --out corpus [--seed 1]`` writes ``corpus/doc_00001.txt`` …,
``corpus/manifest.csv`` (file,title,issuer,region,date,source) and ``corpus/truth.csv`` (the columns of the
seeds' gold file: one row per generated claim, with its character offsets). Same ``--n`` and ``--seed``,
same bytes. The generator doubles as a large test of the extractor (``tests/test_corpus.py``).

A document is a header (issuer, title, date in one of several formats), 3–6 sections (一、二、 … with 一是/二是
or (一)(二) paragraphs) and a closing. Sentences come from the templates below, which state claims the
way the seeds do and mix in traps that are no claim (dates, years as time references, proposal numbers,
telephone numbers, postal codes, addresses, hotlines, platform names, formulas, slogans, edition labels).

Template language (``CLAIMS``, ``TRAPS``, ``FILLERS``)::

    {T}        the sentence's time opener (截至2018年底, / 今年以来, / 全年, / 2014~2018年, …) chosen by the
               template's mode; the year it gives is the truth year of the slots (``@T``, the default)
    {R} {S}    全市 / 全省 and 我市 / 我省 (by the document's level); {NAME} the document's region
    {SUB}      a county of the city (a city of the province): the slots after it are about that place
    {Y} {Y0}   explicit years of the sentence (Y0 < Y <= the reporting year); {M} a month
    [a|b]      one of the alternatives
    {kind attr…}  a claim. attrs: =indicator  #name  + (cumulative)  ? (borderline: required 0)
               @T|Y|Y0|now|report|prev|none (year)  /rate  lo-hi (range, display units)
               *k or *k:name (about k times the previous / named slot)  share:name  rest:name  sum:a+b
               <约|近 (qualifier word before)  >以上 (after)  ^余 (inside: 20余次)

Years follow the seeds' gold: an explicit year (截至Y年底, Y年, Y0~Y年) gives Y; 今年 / 目前 / 截至目前 give the
date's year; 全年 and unmarked figures the reporting year (the date's year, or the year before for a
document dated January to March); 去年 the year before the date. Region: the document's, or the county
named in the clause before the figure. A paragraph never has an unmarked claim sentence after a
sentence that opens with an explicit year (that year would frame it), so every truth year is unambiguous.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple

from etl.tables import DATA

TRUTH_COLUMNS = ("doc", "start", "end", "text", "value", "value_high", "unit", "rate", "qualifier", "region",
                 "year", "period_start", "cumulative", "indicator", "required", "note")
MANIFEST_COLUMNS = ("file", "title", "issuer", "region", "date", "source")
FIRST_YEAR, LAST_YEAR = 2013, 2023  # years the claims describe; documents are dated 2014–2023
LENGTH = (1500, 5000, 2500)  # min, max, mode of a document's length in characters (mean 3000)
PROVINCE_SCALE = 8  # a province's households, persons, money … against a city's
PROVINCE_SHARE = 0.2
CHUNK = 250  # documents per task (at most) when writing on several processes
CLAIM_SHARE, TRAP_SHARE = 0.66, 0.45  # of a paragraph's sentences; of the others

# ---------------------------------------------------------------- claim templates (data)


class Tpl(NamedTuple):
    """A sentence template: its theme, text, time mode ({T}), level (city/province/*) and years of use."""

    theme: str
    text: str
    mode: str = "none"
    level: str = "*"
    era: tuple[int, int] = (2014, 2023)


CLAIMS: tuple[Tpl, ...] = (
    # status: registered, lifted, remaining
    Tpl("status", "{T}{R}共有建档立卡贫困村{n个 =poor_villages 20-400}、建档立卡贫困户{hh =poor_households 3000-60000}"
        "{pp =poor_population *3.2}。", "stock", era=(2014, 2020)),
    Tpl("status", "{T}{R}[共有|有]建档立卡贫困人口{hh =poor_households 3000-60000}{pp =poor_population *3.2},"
        "主要分布在{n个 3-12}县(市、区)的{n个 20-120}乡镇。", "stock", era=(2014, 2020)),
    Tpl("status", "{T}{NAME}共有脱贫村{n个 =villages_exited_poverty 20-400},建档立卡脱贫户"
        "{hh =lifted_households 3000-60000}{pp =lifted_population *3.2},巩固拓展脱贫攻坚成果任务依然繁重。",
        "stock", era=(2021, 2023)),
    Tpl("status", "{T}{R}[建档立卡贫困人口|贫困群众]累计实现脱贫{hh + =lifted_households 3000-60000}"
        "{pp + =lifted_population *3.2},{n个 =villages_exited_poverty 20-400}贫困村全部出列。", "cum",
        era=(2017, 2023)),
    Tpl("status", "{T}{R}{n个 =villages_exited_poverty 20-400}贫困村全部退出,累计完成脱贫"
        "{hh + =lifted_households 3000-60000}{pp + =lifted_population *3.2}。", "stock", era=(2017, 2023)),
    Tpl("status", "目前{R}[还剩|剩余]{hh =remaining_poor_households @now 3-900}、"
        "{pp =remaining_poor_population @now *2.4}未脱贫,[全部纳入兜底保障范围|正在逐户落实帮扶措施]。",
        era=(2015, 2020)),
    Tpl("status", "目前[剩余贫困人口|尚未脱贫的]{hh =remaining_poor_households @now 3-900}"
        "{pp =remaining_poor_population @now *2.4}[均为兜底保障对象|已全部落实帮扶责任人]。", era=(2015, 2020)),
    Tpl("status", "{Y}年{R}脱贫{pp =lifted_population_annual @Y <约 2000-300000},贫困发生率明显下降。",
        era=(2015, 2021)),
    Tpl("status", "{yr ? @none 3-6}来,{R}累计实现脱贫{pp + =lifted_population 20000-900000},"
        "脱贫率达到{pct =poverty_exit_rate 99-99.99 >以上}。", era=(2017, 2021)),
    Tpl("status", "{R}贫困发生率由{Y0}年底的{pct =poverty_incidence @Y0 3-15}"
                  "下降到{Y}年底的{pct =poverty_incidence @Y 0.01-1}。", era=(2016, 2021)),
    Tpl("status", "{T}{R}贫困发生率降至{pct =poverty_incidence <不足|不到 0.5-2}。", "stock", era=(2016, 2020)),
    Tpl("status", "{T}{R}共确定{n个 =key_counties 3-15}省级重点帮扶县(区)。", "stock", "province"),
    Tpl("status", "{T}{R}共确定{n个 =key_counties 2-6}乡村振兴重点帮扶县,实行差异化支持政策。", "stock", "city",
        (2021, 2023)),
    Tpl("status", "{T}{R}[共有|认定]经济薄弱村{n个 =weak_villages 50-900},[已全部达到脱贫标准|集体经济收入稳步增长]。",
        "stock"),
    Tpl("status", "{T}{SUB}建档立卡贫困户{hh =poor_households 300-9000}{pp =poor_population *3.1}。", "stock",
        era=(2014, 2020)),
    Tpl("status", "{T}{SUB}共有脱贫户{hh =lifted_households 300-9000}{pp =lifted_population *3.1}。", "stock",
        era=(2021, 2023)),
    Tpl("status", "{T}组织人员深入县区{n个 5-20}乡镇{n个 30-120}行政村开展专题调研。", "flow"),
    # monitoring
    Tpl("monitoring", "{T}{R}共有三类户{hh #h =monitored_households 200-6000}{pp #p =monitored_population *3},"
        "其中边缘易致贫户{hh share:h}{pp share:p}、脱贫不稳定户{hh share:h}{pp share:p}、"
        "突发严重困难户{hh rest:h}{pp rest:p}。", "stock", era=(2021, 2023)),
    Tpl("monitoring", "{T}{R}累计纳入监测对象{hh #m + =monitored_households 100-6000}{pp + =monitored_population *3},"
        "已消除风险{hh =monitoring_risk_cleared_households *0.5:m}{pp =monitoring_risk_cleared_population *3}。",
        "cum", era=(2021, 2023)),
    Tpl("monitoring", "{T}[三类户中|监测对象中],消除风险户{hh =monitoring_risk_cleared_households 50-2000}"
        "{pp =monitoring_risk_cleared_population *3}。", "stock", era=(2021, 2023)),
    Tpl("monitoring", "{T}[{R}|]共排查农户{hh 5000-100000}{pp *3.4},新认定监测对象{hh 10-300}{pp *3.2}。",
        "flow", "city", (2021, 2023)),
    Tpl("monitoring", "{T}全省共排查农户{hh 5000-100000}{pp *3.4},新认定监测对象{hh 10-300}{pp *3.2}。",
        "flow", "province", (2021, 2023)),
    Tpl("monitoring", "{T}{R}{hh 200-3000}农户通过“一键报贫”系统自主申报。", "flow", era=(2021, 2023)),
    Tpl("monitoring", "{T}{SUB}共有防返贫监测对象{hh =monitored_households 30-900}{pp =monitored_population *3}。",
        "stock", era=(2021, 2023)),
    # funding
    Tpl("funding", "{T}共争取中央、省资金{wan #a =funding_central_provincial 5000-50000};下达市本级资金"
        "{wan #b =funding_city 5000-50000},同比增加{wan 100-2000};落实县级配套资金{wan #c =funding_county 3000-30000},"
        "同比增加{wan 100-2000};总投入达到{wan =funding_total sum:a+b+c}。", "flowR", "city"),
    Tpl("funding", "{T}{R}累计投入[省、市、县三级|各级]财政扶贫资金{yi #t + =funding_total 5-60},"
        "其中市本级投入{yi + =funding_city *0.4:t}。", "cum", "city"),
    Tpl("funding", "{T}全省累计投入各级财政扶贫资金{yi #t + =funding_total 50-500},其中省级财政投入{yi + *0.3:t}。",
        "cum", "province"),
    Tpl("funding", "{T}{R}投入各级财政衔接资金{wan =funding_total 5000-80000},实施衔接资金项目{n个 50-500},"
        "其中用于产业发展的资金占比{pct 50-80}。", "flow", era=(2021, 2023)),
    Tpl("funding", "{T}{R}累计下达[产业富民|产业发展]专项资金{yi + 1-10},累计实施项目{n个 + 50-500}。", "cum"),
    Tpl("funding", "{T}{SUB}各级财政投入扶贫资金{wan =funding_total 1000-20000}。", "flow"),
    Tpl("funding", "{R}{Y}年争取上级专项资金{wan @Y 2000-40000}。", era=(2015, 2023)),
    Tpl("funding", "{T}{R}整合涉农资金{yi 1-20},[重点|优先]用于贫困村基础设施建设。", "flow", era=(2016, 2020)),
    # education
    Tpl("education", "{T}[{R}|]共发放[学生|]资助资金{wan =education_aid_funds 500-30000},"
        "惠及学生{pt #s =education_aid_recipients 5000-400000},其中建档立卡学生{pt *0.2:s}。", "flow", "city"),
    Tpl("education", "{T}{R}资助困难学生{pt =education_aid_recipients 2000-300000},发放资助资金"
        "{wan =education_aid_funds 300-30000}。", "flow"),
    Tpl("education", "{T}{R}各级财政累计投入学生资助资金{yi + =education_aid_funds 5-60},"
        "累计资助学生{pt + =education_aid_recipients 100000-3000000}。", "cum"),
    Tpl("education", "生源地信用助学贷款本专科学生由每生每年{yuan /per_student_year 6000-8000}提高到"
        "{yuan /per_student_year 12000-12000},研究生由每生每年{yuan /per_student_year 12000-12000}提高到"
        "{yuan /per_student_year 16000-16000}。", era=(2021, 2023)),
    Tpl("education", "{T}{R}[义务教育阶段|]建档立卡疑似辍学学生{ming 500-4000}已[全部劝返复学|降至个位数]。",
        "stock", era=(2016, 2020)),
    Tpl("education", "{T}[{R}|]新建、改扩建乡村学校{n所 5-60},改善办学条件。", "flow", "city"),
    # health
    Tpl("health", "脱贫人口住院医疗费用平均报销比例稳定在{pct =hospitalization_reimbursement_rate 85-92 >左右}。",
        era=(2021, 2023)),
    Tpl("health", "贫困人口住院费用[实际|政策范围内]报销比例达到"
        "{pct =hospitalization_reimbursement_rate 85-92 >以上}。",
        era=(2016, 2020)),
    Tpl("health", "[低收入人口|脱贫人口]大病保险起付线由{wan .2 ~ 0.6-1.2}下降为{wan .2 *0.7},"
        "报销比例提高{ppt2 3-8}。"),
    Tpl("health", "门诊慢性病、重特大疾病门诊病种报销比例均提高到{pct 80-90},较一般人群分别高出{el ? 10-20}、"
        "{ppt 3-8}。"),
    Tpl("health", "[县域内定点医疗机构|各地]将政策范围内住院总费用自付比例控制在{pct 8-10 >以内}。"),
    Tpl("health", "{T}脱贫人口和监测对象住院{pt 3000-40000},医保支付{wan 1000-9000};门诊慢特病待遇享受"
        "{pt 5000-60000},医保支付{wan 200-2000}。", "flowR", era=(2021, 2023)),
    Tpl("health", "{T}{R}享受医疗救助{pt 2000-30000},救助资金支出{wan 200-3000}。", "flow"),
    Tpl("health", "对医疗报销后自费部分{wan ? ~ <超过 1-5}的农户,及时纳入监测范围。", era=(2021, 2023)),
    Tpl("health", "{T}[{R}|]脱贫人口住院个人自付比例降至{pct 5-10 >以下}。", "stock", era=(2019, 2023)),
    Tpl("health", "{T}[{R}|]乡村医生走访建档立卡贫困户{n户次 3000-90000},开展健康体检{pt 5000-90000}。", "flow",
        era=(2016, 2020)),
    Tpl("health", "{T}脱贫人口家庭医生签约服务率达到{pct 95-100}。", "stock", era=(2021, 2023)),
    # housing and water
    Tpl("housing", "{T}申请中央及省补助资金{wan 20-500},落实改造任务{hh =housing_renovated_households 10-3000},"
        "目前已全部完工。", "flow"),
    Tpl("housing", "{T}{R}完成农村危房改造{hh =housing_renovated_households 100-8000},实现应改尽改。", "flow"),
    Tpl("housing", "{T}[{R}|]完成饮水问题整改和现场复核{n项 5-60},落实农村供水工程维修养护资金{wan 200-3000}。",
        "flow", "city"),
    Tpl("housing", "{T}新建集中供水点{n处 10-200},改造供水管网{km 20-500},受益群众{pp 5000-90000}。", "flow"),
    Tpl("housing", "{T}{R}新建、改建农村公路{km 50-2000},建制村通客车率达到{pct 100-100}。", "flow"),
    Tpl("housing", "{T}{R}完成改厕任务{n座 200-5000},农村卫生厕所普及率达到{pct 70-98}。", "flow"),
    Tpl("housing", "{T}{R}易地扶贫搬迁{pp <约|近 5000-200000},建成集中安置点{n个 20-300}。", "cum",
        era=(2016, 2020)),
    Tpl("housing", "对新建改厕的农户每户补助{yuan /per_household 500-1500},所需资金由市、县两级财政分担。",
        level="city"),
    Tpl("housing", "{T}{SUB}完成农房抗震改造{hh =housing_renovated_households 20-900}。", "flow"),
    # employment and industry
    Tpl("employment", "{T}[{R}|]共完成“雨露计划”培训{pp =training_participants 300-8000},脱贫人口务工总人数达到"
        "{pp #w =migrant_workers_lifted 5000-80000},完成省定任务数{pp *0.97:w}的{pct 101-110}。", "flow", "city",
        (2021, 2023)),
    Tpl("employment", "{T}设置公益性岗位{n个 =public_welfare_jobs 200-6000},安置脱贫劳动力{pp 200-6000}就业。",
        "flow"),
    Tpl("employment", "{T}{R}脱贫劳动力外出务工{pp =migrant_workers_lifted 5000-300000},实现务工收入"
        "{yi 1-50}。", "flow", era=(2021, 2023)),
    Tpl("employment", "{T}{R}开展技能培训{n期 10-200},培训脱贫劳动力{pp =training_participants 1000-30000}。",
        "flow", era=(2021, 2023)),
    Tpl("employment", "{T}{R}举办培训班{n期 10-60},培训各级干部{pp 1000-9000}。", "flow"),
    Tpl("employment", "{T}{n个 10-60}帮扶车间安排就业{pp <近 50-400},带动{hh ^多 1000-9000}脱贫户增收。", "flow"),
    Tpl("employment", "{T}[{R}|]安置搬迁群众{cnp ^余}就业。", "flow", "city"),
    Tpl("employment", "{T}[{R}|]扶贫车间吸纳{cnp <近}务工。", "flow", era=(2017, 2023)),
    Tpl("employment", "{T}对发展特色种植的脱贫户按每亩{yuan /per_mu 200-500}给予奖补,带动种植{mu 2000-60000}。",
        "flow"),
    Tpl("employment", "{T}发展特色种养业基地{n个 50-800},[流转|新增]土地{mu 1000-90000}。", "flow"),
    Tpl("employment", "{T}[{R}|]销售特色农产品{ton 1000-90000},实现销售收入{wan 1000-90000}。", "flow"),
    Tpl("employment", "{T}投入产业帮扶资金{wan 500-5000}折股量化到户,覆盖{n个 5-20}乡镇{hh 200-1500}脱贫户和监测户。",
        "flow", era=(2021, 2023)),
    Tpl("employment", "{T}产业对脱贫户覆盖率达到{pct 95-100}。", "stock", era=(2021, 2023)),
    Tpl("employment", "{T}{R}[培育|发展]龙头企业、合作社等新型经营主体{n家 50-400},带动农户{hh 10000-90000}。", "flow"),
    Tpl("employment", "{T}[{R}|]发放能繁母牛{n头 200-3000},养殖湖羊{n只 1000-20000},户均增收{yuan2 /per_household}。",
        "flow"),
    Tpl("employment", "{T}[{R}|]举办专场招聘会{n场 10-80},提供就业岗位{n个 1000-30000},签订就业协议{n份 300-5000}。",
        "flow"),
    Tpl("employment", "{T}[{R}|]惠及脱贫群众{pp <逾|将近|大约 10000-90000},带动{hh <超 1000-9000}户均增收"
        "{yuan ~ /per_household >上下 1000-3000}。", "flow", era=(2018, 2023)),
    Tpl("employment", "{T}[{R}|]为脱贫户发放农机具{n台 100-2000},配备垃圾收集车{n辆 20-300}。", "flow"),
    Tpl("housing", "{T}[{R}|]建成易地搬迁安置房{n套 500-9000},改造学校校舍{n间 50-600}。", "flow", era=(2016, 2021)),
    Tpl("housing", "{T}[{R}|]新建通村组公路{km2 50-900}。", "flow"),
    Tpl("village", "{T}[{R}|]刊发脱贫攻坚宣传稿件{n篇 50-600},分{n批 2-6}下达专项资金。", "flow"),
    Tpl("village", "{T}[{R}|]走访慰问困难老人{wei 50-900}。", "flow"),
    Tpl("finance", "扶贫小额信贷户均额度不超过{wan ? ~ /per_household 5-5},贷款期限不超过{yr ? @none 3-3}。"),
    Tpl("village", "[确保|要求]每个驻村工作队队员不少于{ming ? 3-3},每村至少{ming ? 1-1}第一书记。"),
    # finance and consumption
    Tpl("finance", "{T}{R}历年累计投放脱贫人口小额信用贷款{wan + =microcredit_amount 5000-90000},贷款户数"
        "{hh + =microcredit_households 1000-20000},贴息{wan + 100-2000}。", "cum", era=(2021, 2023)),
    Tpl("finance", "{T}{R}累计向{hh + =microcredit_households 5000-60000}发放扶贫小额贷款"
        "{yi + =microcredit_amount 1-20}。",
        "cum"),
    Tpl("finance", "累计为{hhw + =microcredit_households 0.5-10}低收入农户发放扶贫小额贷款"
        "{yi + =microcredit_amount 2-30}。"),
    Tpl("finance", "{T}向{n家 10-60}帮扶企业投放精准扶贫企业贷款{wan 5000-50000},帮扶脱贫户{hh 500-5000}。", "flow"),
    Tpl("finance", "{T}受理农业保险报案{n件 200-3000},赔付资金{wan 500-5000},实现应赔尽赔。", "flow"),
    Tpl("consumption", "{T}各级预算单位在832平台采购脱贫地区农副产品完成交易额{wan 300-5000}。", "flow",
        era=(2021, 2023)),
    Tpl("consumption", "{T}[不完全统计,|]{R}累计销售脱贫地区农副产品{yi + =consumption_assistance_sales 1-60}。",
        "cum", era=(2020, 2023)),
    Tpl("consumption", "{T}{n个 10-60}消费扶贫馆安排就业{pp <近 50-400},销售业绩{wan <突破 2000-8000}。", "flow"),
    Tpl("consumption", "{T}邮政帮助脱贫地区销售特色产品{wanb ? 300-3000}。", "flow", era=(2021, 2023)),
    Tpl("consumption", "{T}{R}农村电商网络零售额{yi <超过 1-20},带动脱贫群众{pp <约|接近 5000-90000}增收。", "flow",
        era=(2018, 2023)),
    Tpl("consumption", "{T}[{R}|]消费帮扶销售额达到{wan =consumption_assistance_sales 3000-90000}。", "flow",
        "city", (2021, 2023)),
    # village support
    Tpl("village", "{T}{R}共派出驻村工作队{n支 =resident_work_teams 100-1500},驻村干部{ming =resident_cadres *3},"
        "实现了脱贫村全覆盖。", "stock"),
    Tpl("village", "{T}{R}选派驻村第一书记{ming =resident_cadres 100-1500},[实现|做到]贫困村全覆盖。", "stock",
        era=(2015, 2020)),
    Tpl("village", "为每名市派第一书记下拨{wan /per_person 1-3}党费、{wan /per_person 2-5}工作经费。", level="city"),
    Tpl("village", "按照每人每天{yuan /per_person_day 50-150}标准发放驻村补助。"),
    Tpl("village", "{T}脱贫村列入{R}美丽乡村精品村{n个 5-30}、示范村{n个 10-40},已建成美丽乡村{n个 5-20}。", "stock",
        era=(2021, 2023)),
    Tpl("village", "{T}建制村通客车率、直接通邮率保持{pct 100-100},村庄公共区域亮灯率达到{pct 85-95 >以上},"
        "绿化率达到{pct 30-45}。", "stock"),
    Tpl("village", "{T}[{R}|]召开市委常委会、市政府常务会、工作推进会等{n次 ^余 10-40}。", "flow", "city"),
    Tpl("village", "研究下发主要政策调整优化清单,其中延续{n项 20-60}、优化{n项 10-30}、调整{n项 10-30}、"
        "新增{n项 5-20}。",
        era=(2021, 2023)),
    Tpl("village", "{T}向各有关县(市、区)下发重点工作提醒{n期 2-8},对{n个 5-20}部门进行了约谈。", "flow"),
    Tpl("village", "{T}[{R}|]对照反馈的{n条 30-200}问题,已全部整改到位。", "stock"),
    Tpl("village", "{T}[{R}|]实施村级基础设施项目{n个 100-900},硬化村组道路{km 50-900}。", "flow"),
    # social security
    Tpl("social", "{T}{R}农村低保标准[提高到|达到]每人每月{yuan =rural_dibao_standard /per_person_month 300-900}。",
        "stock"),
    Tpl("social", "{T}{R}农村低保标准提高到{yuan =rural_dibao_standard /per_year 3600-9000}/年,连续{yr ? @none 2-5}"
        "高于扶贫标准。", "stock"),
    Tpl("social", "{T}{R}共保障农村低保{hh =dibao_households 2000-60000}{pp #d =dibao_population *1.8},"
        "其中纳入监测对象{pp *0.05:d}。", "stock", era=(2021, 2023)),
    Tpl("social", "{T}{R}农村低保对象{hh =dibao_households 2000-60000}{pp =dibao_population *1.8}。", "stock"),
    Tpl("social", "{T}享受困难残疾人生活补贴{pp #x 2000-30000},其中脱贫人口{pp *0.15:x}、监测对象{pp *0.04:x}。",
        "stock", era=(2021, 2023)),
    Tpl("social", "{T}共发放省、市两级受灾困难群众临时生活补助{wan 500-9000}。", "flow", "city"),
    Tpl("social", "{T}{R}为特困供养人员发放供养金{wan 500-20000},惠及{pp 2000-60000}。", "flow"),
    Tpl("social", "{T}脱贫户人均可支配收入达到{yuand =lifted_per_capita_income /per_person_year 6000-20000},"
        "同比增长{pct =lifted_income_growth 5-15}。", "stock", era=(2021, 2023)),
    Tpl("social", "{T}已脱贫户人均纯收入达到{yuand =lifted_per_capita_income /per_person_year 4000-12000}。",
        "stock", era=(2016, 2020)),
    Tpl("social", "{R}脱贫人口人均纯收入由{Y0}年的{yuand =lifted_per_capita_income /per_person_year @Y0 3000-6000}"
        "增加到{Y}年的{yuand =lifted_per_capita_income /per_person_year @Y *1.6}。", era=(2016, 2023)),
)

OPENERS: dict[str, tuple[str, ...]] = {
    # kind -> surfaces; {Y} explicit year, {Y0} start year, {M} month
    "asof": ("截至{Y}年底,", "截至{Y}年末,", "到{Y}年底,", "截至{Y}年{M}月底,"),
    "year": ("{Y}年,", "{Y}年度,"),
    "now_stock": ("目前,", "截至目前,", "当前,"),
    "now_flow": ("今年以来,", "今年,", "截至目前,"),
    "report": ("全年,", "", "年内,"),
    "prev": ("去年,",),
    "range": ("{Y0}~{Y}年,", "{Y0}-{Y}年,", "{Y0}年至{Y}年,"),
    "since": ("{Y0}年以来,", "党的十八大以来,"),
}
MODES: dict[str, tuple[str, ...]] = {
    "stock": ("asof", "now_stock", "year", "report"),
    "flow": ("report", "now_flow", "year", "prev"),
    "flowR": ("report",),  # sentences with semicolons: an opener would govern only the first statement
    "cum": ("asof", "now_stock", "range", "since"),
    "none": (),
}

ORDINALS = "一二三四五六七八"
SUBPOINTS = ("加强组织领导", "压实工作责任", "优化政策供给", "强化督导指导", "建立精准帮扶机制", "扎实做好问题整改",
             "强化工作保障")
THEMES: dict[str, tuple[str, ...]] = {
    "status": ("强化精准识别精准帮扶", "扎实推进精准脱贫", "脱贫攻坚取得决定性成效", "着力强化精准退出"),
    "monitoring": ("扎实开展防返贫动态监测帮扶", "健全防止返贫动态监测和帮扶机制", "守住不发生规模性返贫底线"),
    "funding": ("加大资金投入", "强化资金保障", "加强扶贫资金监管"),
    "education": ("着力解决义务教育保障问题", "加大教育帮扶力度", "阻断贫困代际传递"),
    "health": ("提升基本医疗保障水平", "扎实推进健康帮扶", "夯实“两不愁三保障”基础"),
    "housing": ("巩固住房和饮水安全成果", "补齐基础设施短板", "改善人居环境"),
    "employment": ("做实稳岗就业", "强力推进产业振兴", "着力促进脱贫群众持续增收"),
    "finance": ("深化金融帮扶", "推进小额信贷政策落实"),
    "consumption": ("有效开展消费帮扶", "拓宽农产品销售渠道"),
    "village": ("加大驻村帮扶力度", "加强组织领导", "压实工作责任"),
    "social": ("强化兜底保障", "织密社会保障网", "着力提高脱贫群众收入水平"),
}

FILLERS: dict[str, tuple[str, ...]] = {
    "*": (
        "坚持把{GOAL}作为重大政治任务,持续保持攻坚态势。",
        "加强统筹协调,形成工作合力,推动各项政策举措落地见效。",
        "坚持问题导向,举一反三、全面排查,挂账销号、整改清零。",
        "进一步压实各级责任,做到力度不减、工作不松。",
        "相关行业部门强化工作指导,完善政策举措,加强督促检查。",
        "坚持精准方略,因村因户因人施策,确保帮扶措施落到实处。",
        "各地各部门认真贯彻落实中央和省委决策部署,扎实推进各项工作。",
        "强化督导指导,加强常态化督导,发现问题,推动工作。",
        "建立健全工作台账,实行动态管理,做到底数清、情况明。",
        "广泛动员社会力量参与,构建政府、市场、社会协同推进的大帮扶格局。",
    ),
    "status": ("始终把扶贫开发作为重大政治任务和第一民生工程来抓。", "贫困群众生产生活条件明显改善,获得感显著增强。"),
    "monitoring": ("从健全体制机制入手,不断构建完善监测帮扶网络,做到早发现、早干预、早帮扶。",
                   "对监测对象第一时间指定帮扶责任人,采取针对性帮扶措施,有序消除风险。"),
    "funding": ("严格资金使用管理,确保资金安全、规范、高效运行。", "坚持资金项目公告公示制度,主动接受群众监督。"),
    "education": ("严把“控辍保学”关,加大对困难学生的资助力度。", "全面推进乡村教育振兴,促进城乡教育均衡发展。"),
    "health": ("持续提升村级医疗机构服务能力和乡村医疗水平。", "通过多重医疗保障,有效防止因病致贫返贫。"),
    "housing": ("建立住房安全保障动态监测机制,及时进行精准改造。", "健全完善农村供水动态监测和响应机制,保持动态清零。"),
    "employment": ("多渠道提供就业岗位,努力实现脱贫群众应就业尽就业。",
                   "因地制宜发展特色种养业和农产品加工业,拓宽增收渠道。"),
    "finance": ("建立政府、金融机构、企业、农户多方联动机制,完善金融基础设施。", "将更多金融资源配置到脱贫乡村。"),
    "consumption": ("探索实施党建引领、政府引导、社会参与的消费帮扶新模式。",
                    "线上线下同步发力,持续扩大特色产品销路。"),
    "village": ("驻村工作队履职尽责,得到了所驻村群众的高度认可。",
                "成立了以党委书记、政府主要负责同志任组长的领导小组。"),
    "social": ("全面落实农村低保、特困人员供养、临时救助等政策,实现应保尽保。",
               "建立低保“渐退期”机制,确保兜底保障不断档。"),
}

TRAPS: tuple[str, ...] = (
    "{DATE},{S}召开{GOAL}推进会,对下一阶段工作进行再部署。",
    "{DATE}印发《关于进一步加强扶贫资金管理的实施意见》,提出了一系列政策举措。",
    "{FUTURE}",
    "{Y0}~{Y}年是打赢脱贫攻坚战的关键时期,各项工作均取得明显进展。",
    "构建了“1+{a}+{b}”政策体系,探索实践出了具有特色的“N+2”精准扶贫模式。",
    "严格落实“四个不摘”要求,坚持摘帽不摘责任、摘帽不摘政策、摘帽不摘帮扶、摘帽不摘监管。",
    "紧紧围绕“两不愁三保障”目标,逐村逐户逐人开展排查。",
    "各驻村工作队和第一书记严格落实“五天四夜”工作制,履职尽责。",
    "针对脱贫人口继续实行“七免一减”惠民举措和家庭医生签约服务。",
    "总结推广“1456工作法”,持续提升帮扶成效。",
    "依托832平台和线下消费帮扶专柜,拓宽农副产品销售渠道。",
    "按照“五个必到”要求,定期开展多渠道、全方位排查。",
    "对省、市{Y}年度考核反馈的问题,做到主动认领、照单全收。",
    "畅通12317扶贫监督举报热线,及时回应群众关切。",
    "群众可拨打监督举报电话{PHONE}反映问题。",
    "全面落实“一户一策”“一人一策”帮扶措施。",
    "深入开展“百企帮百村”活动,推行“3+X”帮扶模式。",
    "推进“5G+智慧农业”示范应用,提升农业生产数字化水平。",
    "在{ROAD}路{NO}号设立便民服务大厅,集中受理群众诉求。",
    "认真办理{SESSION}会议第{PROP}号提案和{PROP8}号提案,逐项落实办理意见。",
    "有关情况已在政府门户网站第{NO}期专栏公开。",
)

FUTURE = ("到2020年,确保现行标准下农村贫困人口实现脱贫,贫困县全部摘帽,解决区域性整体贫困。",
          "到2025年,脱贫攻坚成果巩固拓展,乡村振兴全面推进,脱贫地区经济活力和发展后劲明显增强。")
NAMES = "李绍光 向绪栋 王建国 张丽华 陈晓东 刘志强 杨秀英 赵文博 黄国平 周海燕".split()
ROADS = "中原 建设 人民 解放 文化 迎宾 朝阳 胜利 和平 光明".split()
CN_NUM = dict(zip(range(1, 10), "一二三四五六七八九", strict=True))

# ---------------------------------------------------------------- slot kinds


class Kind(NamedTuple):
    """How a kind of figure is written: unit code, default range (display units), display factor to base
    units, unit surface, the surface with 万 (None: never), whether it scales with a province."""

    unit: str
    lo: float
    hi: float
    factor: int
    surface: str
    wan_surface: str | None = None
    scales: bool = True
    decimals: tuple[int, ...] = (0,)
    is_range: bool = False  # written low至high: 5至15个百分点, 3000~5000元


KINDS: dict[str, Kind] = {
    "hh": Kind("household", 100, 50000, 1, "户", "万户"),
    "pp": Kind("person", 300, 150000, 1, "人", "万人"),
    "ming": Kind("person", 100, 5000, 1, "名"),
    "pt": Kind("person_time", 500, 300000, 1, "人次", "万人次"),
    "hhw": Kind("household", 0.5, 50, 10_000, "万", decimals=(0, 1, 1, 2)),
    "wan": Kind("yuan", 10, 90000, 10_000, "万元", decimals=(0, 0, 1, 2)),
    "wanb": Kind("yuan", 100, 5000, 10_000, "万"),
    "yi": Kind("yuan", 1, 50, 100_000_000, "亿元", decimals=(0, 1, 2)),
    "yuan": Kind("yuan", 100, 20000, 1, "元", scales=False),
    "yuand": Kind("yuan", 3000, 20000, 1, "元", scales=False, decimals=(0, 2)),
    "pct": Kind("percent", 1, 100, 1, "%", scales=False, decimals=(0, 0, 1, 2)),
    "ppt": Kind("percentage_point", 1, 20, 1, "个百分点", scales=False),
    "ppt2": Kind("percentage_point", 1, 10, 1, "个百分点", scales=False, is_range=True),
    "yuan2": Kind("yuan", 1000, 3000, 1, "元", scales=False, is_range=True),
    "wei": Kind("person", 20, 900, 1, "位", scales=False),
    "km2": Kind("km", 10, 900, 1, "千米"),
    "el": Kind("percentage_point", 5, 20, 1, "个", scales=False),
    "yr": Kind("year", 2, 6, 1, "年", scales=False),
    "mu": Kind("mu", 500, 90000, 1, "亩", "万亩"),
    "km": Kind("km", 10, 2000, 1, "公里"),
    "ton": Kind("ton", 500, 90000, 1, "吨", "万吨"),
    "cnp": Kind("person", 1000, 9000, 1, "人", scales=False),
}
COUNT_WORDS = ("个", "项", "支", "家", "座", "件", "期", "次", "条", "所", "处", "户次", "间", "套", "台", "辆", "场",
               "批", "篇", "份", "头", "只")
ROUND_QUALIFIERS = {"近", "将近", "接近", "超过", "超", "逾", "突破", "余", "多", "不足", "不到", "上下"}
QUALIFIER_OF = {"约": "approx", "近": "approx", "将近": "approx", "接近": "approx", "大约": "approx", "左右": "approx",
                "上下": "approx", "余": "at_least", "多": "at_least", "以上": "at_least", "超过": "at_least",
                "超": "at_least", "逾": "at_least", "突破": "at_least", "至少": "at_least", "不少于": "at_least",
                "不低于": "at_least", "以内": "at_most", "以下": "at_most", "不足": "at_most", "不到": "at_most",
                "不超过": "at_most"}


@dataclass(frozen=True, slots=True)
class Slot:
    """A parsed ``{kind attr…}``."""

    kind: str
    indicator: str = ""
    name: str = ""
    cumulative: bool = False
    required: bool = True
    year: str = "T"
    rate: str = ""
    lo: float | None = None
    hi: float | None = None
    factor: float | None = None
    ref: str = ""
    relation: str = ""  # share, rest, sum
    prefix: tuple[str, ...] = ()
    suffix: tuple[str, ...] = ()
    inside: tuple[str, ...] = ()
    decimals: int | None = None
    fixed: bool = False  # the same in a province as in a city (a threshold, a per-person amount)
    spec: Kind = KINDS["hh"]  # how the kind is written (set from ``kind``)


def parse_slot(spec: str) -> Slot:
    """'hh =poor_households 3000-60000' -> Slot(kind='hh', indicator='poor_households', lo=3000, hi=60000)."""
    kind, *attrs = spec.split()
    slot = Slot(kind)
    for a in attrs:
        head, rest = a[0], a[1:]
        if head == "=":
            slot = replace(slot, indicator=rest)
        elif head == "#":
            slot = replace(slot, name=rest)
        elif a == "+":
            slot = replace(slot, cumulative=True)
        elif a == "?":
            slot = replace(slot, required=False)
        elif a == "~":
            slot = replace(slot, fixed=True)
        elif head == "@":
            slot = replace(slot, year=rest)
        elif head == "/":
            slot = replace(slot, rate=rest)
        elif head == "*":
            k, _, ref = rest.partition(":")
            slot = replace(slot, factor=float(k), ref=ref)
        elif head in "<>^":
            words = tuple(rest.split("|"))
            slot = replace(slot, **{"<": {"prefix": words}, ">": {"suffix": words}, "^": {"inside": words}}[head])
        elif a.partition(":")[0] in ("share", "rest", "sum"):
            relation, _, ref = a.partition(":")
            slot = replace(slot, relation=relation, ref=ref)
        elif re.fullmatch(r"\.\d", a):
            slot = replace(slot, decimals=int(rest))
        elif re.fullmatch(r"[\d.]+-[\d.]+", a):
            lo, hi = a.split("-")
            slot = replace(slot, lo=float(lo), hi=float(hi))
        else:
            raise ValueError(f"bad slot attribute {a!r} in {{{spec}}}")
    if slot.kind in KINDS:
        return replace(slot, spec=KINDS[slot.kind])
    if slot.kind[0] == "n" and slot.kind[1:] in COUNT_WORDS:  # n个, n项, n户次 …: counts
        return replace(slot, spec=Kind("count", 2, 500, 1, slot.kind[1:], scales=False))
    raise ValueError(f"unknown kind in {{{spec}}}")


# ---------------------------------------------------------------- template tokens

Token = tuple  # ("lit", str) | ("var", name) | ("slot", Slot) | ("choice", list[list[Token]])
TOKEN_RE = re.compile(r"\[([^\[\]]*)\]|\{([^{}]*)\}")


def tokenize(text: str) -> list[Token]:
    """A template as tokens (parsed once)."""
    out: list[Token] = []
    pos = 0
    for m in TOKEN_RE.finditer(text):
        if m.start() > pos:
            out.append(("lit", text[pos:m.start()]))
        if m.group(1) is not None:
            out.append(("choice", [tokenize(alt) for alt in m.group(1).split("|")]))
        elif _is_slot(m.group(2)):
            out.append(("slot", parse_slot(m.group(2))))
        else:
            out.append(("var", m.group(2)))
        pos = m.end()
    if pos < len(text):
        out.append(("lit", text[pos:]))
    return out


def _is_slot(body: str) -> bool:
    """{hh …}, {n个}: a claim; {T}, {NAME}: a variable."""
    kind = body.split(" ", 1)[0]
    return kind in KINDS or kind[:1] == "n" and kind[1:] in COUNT_WORDS


def _vars_in(tokens: list[Token]) -> set[str]:
    found = set()
    for t in tokens:
        if t[0] == "var":
            found.add(t[1])
        elif t[0] == "choice":
            for alt in t[1]:
                found |= _vars_in(alt)
    return found


@dataclass(frozen=True)
class Compiled:
    """A claim template with its tokens and the variables it uses."""

    tpl: Tpl
    tokens: list[Token]
    needs: frozenset[str]


COMPILED: tuple[Compiled, ...] = tuple(Compiled(t, tokenize(t.text), frozenset(_vars_in(tokenize(t.text))))
                                       for t in CLAIMS)


@dataclass(frozen=True)
class Plain:
    """A sentence template without claims (filler or trap), with the variables it uses in a fixed order."""

    tokens: list[Token]
    needs: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Plain:
        tokens = tokenize(text)
        return cls(tokens, tuple(sorted(_vars_in(tokens))))  # sorted: sets iterate by hash, draws must not


COMPILED_TRAPS = tuple(Plain.of(t) for t in TRAPS)
_GENERIC_FILLERS = tuple(Plain.of(t) for t in FILLERS["*"])
COMPILED_FILLERS = {k: tuple(Plain.of(t) for t in v) + _GENERIC_FILLERS for k, v in FILLERS.items() if k != "*"}
COMPILED_OPENERS = {k: tuple(tokenize(t) for t in v) for k, v in OPENERS.items()}

# ---------------------------------------------------------------- regions


@dataclass(frozen=True)
class Region:
    """A document's region: standard name, level and the places inside it a sentence may name."""

    name: str
    level: str  # city or province
    subs: tuple[str, ...]


FALLBACK_REGIONS: dict[str, tuple[str, ...]] = {
    "郑州市": ("中牟县", "巩义市", "登封市", "新密市", "荥阳市", "新郑市"),
    "洛阳市": ("栾川县", "嵩县", "汝阳县", "宜阳县", "洛宁县", "伊川县"),
    "南阳市": ("南召县", "方城县", "西峡县", "镇平县", "内乡县", "淅川县"),
    "常德市": ("桃源县", "石门县", "汉寿县", "澧县", "临澧县", "安乡县"),
    "邵阳市": ("邵阳县", "新邵县", "隆回县", "洞口县", "绥宁县", "新宁县"),
    "赣州市": ("信丰县", "大余县", "上犹县", "崇义县", "安远县", "宁都县"),
    "吉安市": ("吉安县", "吉水县", "峡江县", "新干县", "永丰县", "泰和县"),
    "六安市": ("霍邱县", "舒城县", "金寨县", "霍山县"),
    "阜阳市": ("临泉县", "太和县", "阜南县", "颍上县"),
    "徐州市": ("丰县", "沛县", "睢宁县", "邳州市", "新沂市"),
    "宿迁市": ("沭阳县", "泗阳县", "泗洪县"),
    "遵义市": ("桐梓县", "绥阳县", "正安县", "凤冈县", "湄潭县"),
    "天水市": ("清水县", "秦安县", "甘谷县", "武山县"),
    "定西市": ("通渭县", "陇西县", "渭源县", "临洮县", "漳县", "岷县"),
    "广元市": ("旺苍县", "青川县", "剑阁县", "苍溪县"),
    "南充市": ("南部县", "营山县", "蓬安县", "仪陇县", "西充县"),
    "河南省": ("郑州市", "洛阳市", "南阳市"),
    "湖南省": ("常德市", "邵阳市"),
    "江西省": ("赣州市", "吉安市"),
    "安徽省": ("六安市", "阜阳市"),
    "江苏省": ("徐州市", "宿迁市"),
    "甘肃省": ("天水市", "定西市"),
    "四川省": ("广元市", "南充市"),
}


def load_regions(path: Path = DATA / "regions.csv") -> tuple[list[Region], list[Region]]:
    """(cities, provinces) that documents can be about: prefecture-level 市 with at least two counties
    (县 or county-level 市) and 省 with at least two such cities, from the gazetteer; a built-in list of
    real places when the gazetteer is missing."""
    children: dict[str, list[str]] = {}
    levels: dict[str, str] = {}
    if path.exists():
        with path.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                levels[r["name"]] = r["level"]
                children.setdefault(r["parent"], []).append(r["name"])
    else:
        for name, subs in FALLBACK_REGIONS.items():
            levels[name] = "province" if name.endswith("省") else "city"
            children[name] = list(subs)
            for s in subs:
                levels.setdefault(s, "county")
    cities = [Region(n, "city", tuple(c for c in children.get(n, ()) if c[-1] in "县市" and 2 <= len(c) <= 5
                                      and n[:-1] not in c))
              for n, lv in levels.items() if lv in ("city", "prefecture") and n.endswith("市")]
    cities = [c for c in cities if len(c.subs) >= 2]
    good = {c.name for c in cities}
    provinces = [Region(n, "province", tuple(c for c in children.get(n, ()) if c in good))
                 for n, lv in levels.items() if lv == "province" and n.endswith("省")]
    return cities, [p for p in provinces if len(p.subs) >= 2]


# ---------------------------------------------------------------- a document being written


class FastRandom(random.Random):
    """``random.Random`` whose ``choice`` and ``randint`` take one ``random()`` draw each (several times
    faster than the library's rejection sampling; as deterministic)."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))


@dataclass(slots=True)
class Claim:
    """One truth row, offsets relative to the text it sits in until it is placed."""

    start: int
    end: int
    text: str
    value: str  # in base units, exact
    unit: str
    qualifier: str
    region: str
    year: int | None
    value_high: str = ""
    rate: str = ""
    period_start: int | None = None
    cumulative: bool = False
    indicator: str = ""
    required: bool = True


@dataclass
class Sentence:
    """A rendered sentence and its claims (offsets within the sentence)."""

    text: str
    claims: list[Claim]
    frames: bool  # opens with an explicit year, which governs unmarked figures later in the paragraph


@dataclass
class DocContext:
    """What a document's sentences need: its randomness, place, date and punctuation."""

    rng: random.Random
    region: Region
    year: int
    month: int
    day: int
    fullwidth: bool
    newline: str = "\n\n"
    used: set[int] = field(default_factory=set)
    used_plain: set[int] = field(default_factory=set)

    @cached_property
    def names(self) -> dict[str, str]:
        """{R} 全市/全省, {S} 我市/我省, {NAME}."""
        province = self.region.level == "province"
        return {"R": "全省" if province else "全市", "S": "我省" if province else "我市", "NAME": self.region.name}

    @property
    def report_year(self) -> int:
        return self.year - 1 if self.month <= 3 else self.year

    @property
    def scale(self) -> int:
        return PROVINCE_SCALE if self.region.level == "province" else 1

    def punct(self, s: str) -> str:
        return s.translate(FULLWIDTH) if self.fullwidth else s


FULLWIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})
# A sentence opening with an explicit year (截至2018年底, 2019年, 2014~2018年; not 2019年以来 or a date).
FRAME_START = re.compile(r"(?:其中|在|于|从|自|截至|截止到?|到|至)?(?:19|20)\d{2}(?!\d)"
                         r"(?!年(?:以来|来|以前|前|\d+月\d+日))")


class Writer:
    """Appends text and keeps every claim's offsets in the whole document."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.claims: list[Claim] = []

    def add(self, text: str, claims: Iterable[Claim] = ()) -> None:
        for c in claims:
            c.start += self.pos
            c.end += self.pos
            self.claims.append(c)
        self.parts.append(text)
        self.pos += len(text)

    def text(self) -> str:
        return "".join(self.parts)


# ---------------------------------------------------------------- numbers


def _times(num: str, factor: int) -> str:
    """A decimal numeral times a power of ten, as a numeral: ('36.99', 10000) -> '369900'; exact, no floats."""
    if factor == 1:
        return num
    zeros = len(str(factor)) - 1
    whole, _, frac = num.partition(".")
    frac = frac.ljust(zeros, "0")
    rest = frac[zeros:].rstrip("0")
    return ((whole + frac[:zeros]).lstrip("0") or "0") + ("." + rest if rest else "")


def _round_sig(x: float, digits: int = 2) -> float:
    """A round figure near x: 6347 -> 6300, 0.95 -> 1 (近6300户, 不足1%)."""
    if x <= 0:
        return x
    mag = 10 ** max(0, len(str(int(x))) - digits)
    return max(mag, round(x / mag) * mag)


def _number(kind: Kind, base: float, decimals: int, use_wan: bool) -> tuple[str, str, str]:
    """(number text, unit text, exact value in base units) for a figure near ``base`` (base units)."""
    if use_wan:
        disp, unit_s, factor = base / 10_000, kind.wan_surface, 10_000 * kind.factor
    else:
        disp, unit_s, factor = base / kind.factor, kind.surface, kind.factor
    num = f"{disp:.{decimals}f}"
    if decimals:
        num = num.rstrip("0").rstrip(".")
    if num == "0":
        num = "0." + "0" * (decimals - 1) + "1" if decimals else "1"
    return num, unit_s, _times(num, factor)


def _chinese(n: int) -> str:
    """1000..9000 -> 一千..九千 (两千 for 2000)."""
    return ("两" if n // 1000 == 2 else CN_NUM[n // 1000]) + "千"


# ---------------------------------------------------------------- sentence rendering


@dataclass(slots=True)
class Render:
    """State while one sentence is rendered."""

    ctx: DocContext
    vars: dict[str, str]
    year: int | None  # year of @T slots
    period_start: int | None
    region: str
    opener: list[Token] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    named: dict[str, float] = field(default_factory=dict)
    taken: dict[str, float] = field(default_factory=dict)
    last: float | None = None

    def text(self) -> str:
        """The sentence written so far, in the document's punctuation (same length: offsets hold)."""
        text = "".join(self.parts)
        return text.translate(FULLWIDTH) if self.ctx.fullwidth else text


def _slot_base(r: Render, slot: Slot, kind: Kind) -> float:
    """The figure's approximate value in base units."""
    rng = r.ctx.rng
    if slot.relation == "sum":
        return sum(r.named[n] for n in slot.ref.split("+"))
    if slot.relation == "share":
        v = r.named[slot.ref] * rng.uniform(0.08, 0.4)
        r.taken[slot.ref] = r.taken.get(slot.ref, 0) + v
        return v
    if slot.relation == "rest":
        return max(1.0, r.named[slot.ref] - r.taken.get(slot.ref, 0))
    if slot.factor is not None:
        ref = r.named.get(slot.ref) if slot.ref else r.last
        if ref is not None:
            return ref * slot.factor * rng.uniform(0.88, 1.12)
    lo = kind.lo if slot.lo is None else slot.lo
    hi = kind.hi if slot.hi is None else slot.hi
    scale = r.ctx.scale if kind.scales and not slot.fixed else 1
    return rng.uniform(lo, hi) * kind.factor * scale


def _slot_year(r: Render, slot: Slot) -> tuple[int | None, int | None]:
    """(year, period start) of a slot's figure."""
    ctx = r.ctx
    match slot.year:
        case "T":
            return r.year, r.period_start
        case "Y" | "Y0":
            return int(r.vars[slot.year]), None
        case "now":
            return ctx.year, None
        case "report":
            return ctx.report_year, None
        case "prev":
            return ctx.year - 1, None
    return None, None


def _surface(rng: random.Random, slot: Slot, base: float, inside: str) -> tuple[str, str, str]:
    """(mention text, exact value in base units, upper end of a range) of a figure near ``base``."""
    kind = slot.spec
    if slot.kind == "cnp":
        n = max(1000, min(9000, int(_round_sig(base, 1))))
        return _chinese(n) + inside + "人", str(n), ""
    use_wan = kind.wan_surface is not None and base >= 20_000 and not slot.relation and rng.random() < 0.35
    decimals = 0 if inside else slot.decimals if slot.decimals is not None else \
        rng.choice((1, 2, 2) if use_wan else kind.decimals)
    num, unit_s, value = _number(kind, base, decimals, use_wan)
    if slot.hi is not None and slot.factor is None and not kind.scales and float(num) > slot.hi:
        num, unit_s, value = _number(kind, min(base, slot.hi * kind.factor), 2, use_wan)  # 99.996 -> 100
    if kind.is_range:  # 5至15个百分点, 3000~5000元
        high = int(_round_sig(float(value) * rng.uniform(1.6, 3), 1))
        return f"{num}{rng.choice(('至', '到', '-', '~'))}{high}{unit_s}", value, str(high)
    if inside and use_wan:  # 3万余人
        return num + unit_s[0] + inside + unit_s[1:], value, ""
    space = " " if unit_s in ("户", "人") and not inside and rng.random() < 0.03 else ""
    return num + inside + space + unit_s, value, ""


def render_slot(r: Render, slot: Slot) -> None:
    """Write a claim: qualifier word, mention, qualifier word; record its truth."""
    rng = r.ctx.rng
    prefix = rng.choice(slot.prefix) if slot.prefix else ""
    suffix = rng.choice(slot.suffix) if slot.suffix else ""
    inside = rng.choice(slot.inside) if slot.inside else ""
    base = _slot_base(r, slot, slot.spec)
    if inside or prefix in ROUND_QUALIFIERS or slot.spec.is_range:  # 近200人, 6300多户: round figures
        base = _round_sig(base / slot.spec.factor) * slot.spec.factor
    mention, value, value_high = _surface(rng, slot, base, inside)
    if prefix:
        r.parts.append(prefix)
    year, period_start = _slot_year(r, slot)
    pos = sum(map(len, r.parts))
    r.claims.append(Claim(
        pos, pos + len(mention), mention, value, slot.spec.unit,
        QUALIFIER_OF.get(inside or prefix or suffix, "exact"), r.region, year, value_high, slot.rate,
        period_start, slot.cumulative, slot.indicator, slot.required))
    r.parts.append(mention)
    if suffix:
        r.parts.append(suffix)
    r.last = float(value)
    if slot.name:
        r.named[slot.name] = r.last


def render_tokens(r: Render, tokens: list[Token]) -> None:
    for tag, payload in tokens:
        if tag == "lit":
            r.parts.append(payload)
        elif tag == "choice":
            render_tokens(r, r.ctx.rng.choice(payload))
        elif tag == "slot":
            render_slot(r, payload)
        elif payload == "T":
            render_tokens(r, r.opener)
        elif payload == "SUB":
            r.region = r.ctx.rng.choice(r.ctx.region.subs)
            r.parts.append(r.region)
        else:
            r.parts.append(r.vars[payload])


def _years(ctx: DocContext, need_y0: bool, floor: int = FIRST_YEAR) -> tuple[int, int] | None:
    """(Y0, Y) with floor <= Y0 < Y <= reporting year (Y0 unused when not needed), or None."""
    rng, top = ctx.rng, ctx.report_year
    if need_y0:
        if top <= floor:
            return None
        y = rng.randint(floor + 1, top)
        return rng.randint(max(floor, y - 6), y - 1), y
    return floor, rng.randint(min(top, max(floor, top - 6)), top)


@cache
def _opener_kinds(mode: str, frames_only: bool, first_year: bool) -> tuple[str, ...]:
    """Opener kinds of a mode; only those that frame the paragraph; none needing an earlier year."""
    return tuple(k for k in MODES[mode] if (not frames_only or k in ("asof", "year", "range"))
                 and not (first_year and k in ("range", "since")))


def _opener(ctx: DocContext, mode: str, frames_only: bool, floor: int) -> tuple[list[Token], dict[str, str],
                                                                                  int | None, int | None] | None:
    """A time opener for a mode: (tokens, variables, year, period start), or None when none fits. Explicit
    years are not before ``floor``."""
    rng = ctx.rng
    kinds = _opener_kinds(mode, frames_only, ctx.report_year <= floor)
    if not kinds:
        return None
    kind = rng.choice(kinds)
    tokens = rng.choice(COMPILED_OPENERS[kind])
    y0, y = _years(ctx, kind in ("range", "since"), floor)
    v = {"Y0": str(y0), "Y": str(y), "M": str(rng.randint(1, 11))}
    if kind == "asof":
        y = rng.randint(min(ctx.year - 1, max(floor, ctx.year - 6)), ctx.year - 1)
        v["Y"] = str(y)
        return tokens, v, y, None
    if kind == "year":
        return tokens, v, y, None
    if kind == "range":
        return tokens, v, y, y0
    if kind == "since":
        start = 2012 if tokens[0][1].startswith("党") else y0
        return tokens, v, ctx.report_year, start
    year = {"now_stock": ctx.year, "now_flow": ctx.year, "report": ctx.report_year, "prev": ctx.year - 1}[kind]
    return tokens, v, year, None


def render_claim(ctx: DocContext, c: Compiled, frames_only: bool = False) -> Sentence | None:
    """A claim sentence from a template, or None when the template cannot be used here."""
    v: dict[str, str] = {}
    year, period, opener = ctx.report_year, None, []
    floor = max(FIRST_YEAR, c.tpl.era[0] - 1)  # 衔接资金 were not spoken of in 2015
    if "T" in c.needs:
        got = _opener(ctx, c.tpl.mode, frames_only, floor)
        if got is None:
            return None
        opener, v, year, period = got
    if "Y" in c.needs or "Y0" in c.needs:
        years = _years(ctx, "Y0" in c.needs, floor)
        if years is None:
            return None
        v.update(Y0=str(years[0]), Y=str(years[1]))
    v.update(ctx.names)
    r = Render(ctx, v, year, period, ctx.region.name, opener)
    render_tokens(r, c.tokens)
    text = r.text()
    return Sentence(text, r.claims, bool(FRAME_START.match(text)))


PLAIN_VARS: dict[str, Callable[[DocContext], str]] = {
    "DATE": lambda ctx: _date_cn(ctx.rng, ctx),
    "FUTURE": lambda ctx: FUTURE[0] if ctx.year <= 2019 else FUTURE[1],
    "GOAL": lambda ctx: "巩固拓展脱贫攻坚成果" if ctx.year >= 2021 else "脱贫攻坚",
    "S": lambda ctx: "我省" if ctx.region.level == "province" else "我市",
    "a": lambda ctx: str(ctx.rng.randint(10, 30)),
    "b": lambda ctx: str(ctx.rng.randint(5, 20)),
    "PHONE": lambda ctx: _phone(ctx.rng),
    "ROAD": lambda ctx: ctx.rng.choice(ROADS),
    "NO": lambda ctx: str(ctx.rng.randint(3, 400)),
    "SESSION": lambda ctx: _session(ctx.rng, ctx),
    "PROP": lambda ctx: f"{ctx.rng.randint(1, 300):03d}",
    "PROP8": lambda ctx: f"{ctx.year}{ctx.rng.randint(1, 12):02d}{ctx.rng.randint(1, 28):02d}",
}


def render_plain(ctx: DocContext, plain: Plain) -> Sentence:
    """A sentence without claims (filler or trap); its variables are drawn only when used."""
    v: dict[str, str] = {}
    if "Y" in plain.needs or "Y0" in plain.needs:
        y0, y = _years(ctx, True) or (FIRST_YEAR, FIRST_YEAR + 1)
        v.update(Y0=str(y0), Y=str(y))
    for name in plain.needs:
        if name not in v:
            v[name] = PLAIN_VARS[name](ctx)
    r = Render(ctx, v, None, None, ctx.region.name)
    render_tokens(r, plain.tokens)
    text = r.text()
    return Sentence(text, [], bool(FRAME_START.match(text)))


def _date_cn(rng: random.Random, ctx: DocContext) -> str:
    y = rng.randint(max(FIRST_YEAR, ctx.year - 2), ctx.year)
    m = rng.randint(1, ctx.month if y == ctx.year else 12)
    return f"{y}年{m}月{rng.randint(1, 28)}日"


def _phone(rng: random.Random) -> str:
    return f"0{rng.choice(('371', '736', '516', '851', '938', '797'))}-{rng.randint(2, 8)}{rng.randint(0, 9999999):07d}"


def _session(rng: random.Random, ctx: DocContext) -> str:
    body = "省政协" if ctx.region.level == "province" else "市政协"
    return f"{body}{rng.choice(('十一', '十二', '十三', '十四'))}届{rng.choice('一二三四五')}次"


# ---------------------------------------------------------------- paragraphs and sections


@cache
def _pool(theme: str | None, level: str, year: int, framed: bool) -> tuple[int, ...]:
    """Templates usable in a document of that level and year, of one theme (None: all); ``framed``: only
    those that can open with an explicit year."""
    return tuple(i for i, c in enumerate(COMPILED) if (theme is None or c.tpl.theme == theme)
                 and c.tpl.level in ("*", level) and c.tpl.era[0] <= year <= c.tpl.era[1]
                 and (not framed or c.tpl.mode in ("stock", "flow", "cum") or c.tpl.text.startswith("{Y}")))


def claim_sentence(ctx: DocContext, theme: str, framed: bool) -> Sentence | None:
    """A claim sentence, from a template not yet used in the document (of the theme if one is left).
    After a sentence that opened with an explicit year, only sentences opening with their own."""
    level, year = ctx.region.level, ctx.year
    pool = _pool(theme, level, year, framed)
    fresh = [i for i in pool if i not in ctx.used] or \
        [i for i in _pool(None, level, year, framed) if i not in ctx.used] or pool or _pool(None, level, year, framed)
    for _ in range(3):
        i = ctx.rng.choice(fresh)
        s = render_claim(ctx, COMPILED[i], frames_only=framed)
        if s is not None and (not framed or s.frames):
            ctx.used.add(i)
            return s
    return None


def _pick(ctx: DocContext, options: tuple[Plain, ...]) -> Plain:
    """One of ``options``, avoiding those used in the document while any is left."""
    fresh = [o for o in options if id(o) not in ctx.used_plain] or options
    choice = ctx.rng.choice(fresh)
    ctx.used_plain.add(id(choice))
    return choice


def plain_sentence(ctx: DocContext, theme: str) -> Sentence:
    """A sentence without claims: a trap (dates, codes, slogans …) or a filler of the theme."""
    if ctx.rng.random() < TRAP_SHARE:
        return render_plain(ctx, _pick(ctx, COMPILED_TRAPS))
    return render_plain(ctx, _pick(ctx, COMPILED_FILLERS[theme]))


@dataclass
class Section:
    """A section being written: its theme, how its points are numbered, and the next number."""

    theme: str
    style: str  # blocks (一是, 二是 inside a paragraph), paren ((一) paragraphs), digit (1. paragraphs), plain
    ordinal: int = 0

    def point(self, ctx: DocContext) -> str:
        """The next point's heading, numbered in the section's style."""
        head = ctx.rng.choice(THEMES[self.theme] + SUBPOINTS)
        n, self.ordinal = self.ordinal, self.ordinal + 1
        if self.style == "blocks":
            return f"{ORDINALS[n % len(ORDINALS)]}是{head}。"
        return f"({ORDINALS[n % len(ORDINALS)]}){head}。" if self.style == "paren" else f"{n + 1}.{head}。"


def paragraph(ctx: DocContext, sec: Section, budget: int, cap: int) -> list[Sentence]:
    """Sentences of one paragraph, about ``budget`` characters and never more than ``cap``. A paragraph
    whose sentence opened with an explicit year goes on only with sentences that open with their own."""
    rng = ctx.rng
    out: list[Sentence] = []
    if sec.style in ("paren", "digit"):
        out.append(Sentence(ctx.punct(sec.point(ctx)), [], False))
    if rng.random() < 0.5:
        out.append(plain_sentence(ctx, sec.theme))
    size, framed = sum(len(x.text) for x in out), any(x.frames for x in out)
    while size < budget:
        new: list[Sentence] = []
        if sec.style == "blocks" and (sec.ordinal == 0 or rng.random() < 0.35):
            new.append(Sentence(ctx.punct(sec.point(ctx)), [], False))
        claim = claim_sentence(ctx, sec.theme, framed) if rng.random() < CLAIM_SHARE else None
        new.append(claim or plain_sentence(ctx, sec.theme))
        grown = sum(len(x.text) for x in new)
        if size + grown > cap:
            break
        out += new
        size += grown
        if new[-1].frames:
            if rng.random() < 0.5:
                break
            framed = True
    return out


# ---------------------------------------------------------------- documents

STYLES = ("reply", "report", "survey", "newspaper")
# (words, level or *, first year, last year): who writes, and about what, in the document's year
ISSUERS = (("扶贫开发办公室", "city", 2014, 2020), ("乡村振兴局", "*", 2021, 2023), ("农业农村局", "city", 2019, 2023),
           ("人民政府办公室", "city", 2014, 2023), ("农业农村工作委员会", "city", 2014, 2023),
           ("扶贫开发领导小组办公室", "province", 2014, 2020), ("人民政府", "province", 2014, 2023),
           ("农业农村厅", "province", 2018, 2023))
TOPICS = (("脱贫攻坚工作进展", "*", 2014, 2020), ("精准扶贫精准脱贫", "*", 2014, 2020),
          ("加强扶贫资金监管", "*", 2014, 2023),
          ("巩固拓展脱贫攻坚成果同乡村振兴有效衔接", "*", 2021, 2023), ("巩固脱贫攻坚成果", "*", 2020, 2023),
          ("扎实做好防返贫动态监测帮扶", "*", 2021, 2023), ("持续增加脱贫群众收入", "*", 2019, 2023))
HEADLINES = ("荒山远村花灿灿 脱贫春风拂笑颜", "小康路上一个都不能少", "产业兴旺 农民增收", "驻村帮扶暖民心",
             "乡村振兴谱新篇")


@dataclass
class Document:
    text: str
    claims: list[Claim]
    meta: dict[str, str]


def _of_the_time(ctx: DocContext, table: tuple[tuple[str, str, int, int], ...]) -> str:
    """Words from ``table`` that fit the document's level and year."""
    return ctx.rng.choice([w for w, level, a, b in table if level in ("*", ctx.region.level) and a <= ctx.year <= b])


def _date_line(ctx: DocContext) -> str:
    y, m, d = ctx.year, ctx.month, ctx.day
    return ctx.rng.choice((f"{y}-{m:02d}-{d:02d}", f"{y}年{m}月{d}日", f"{y}年{m:02d}月{d:02d}日"))


def header(ctx: DocContext, style: str) -> tuple[str, dict[str, str]]:
    """The document's header text and its manifest fields."""
    rng, name = ctx.rng, ctx.region.name
    issuer = name + _of_the_time(ctx, ISSUERS)
    topic = _of_the_time(ctx, TOPICS)
    iso = f"{ctx.year}-{ctx.month:02d}-{ctx.day:02d}"
    date_line = _date_line(ctx)
    if style == "reply":
        session, prop = _session(rng, ctx), f"{rng.randint(1, 300):03d}"
        title = f"{issuer}关于对{session}会议第{prop}号提案的回复"
        salute = f"尊敬的{rng.choice(NAMES)}委员:" if rng.random() < 0.5 else f"{rng.choice(NAMES)}等委员:"
        if rng.random() < 0.5:
            head = (f"• {rng.randint(10**8, 10**9 - 1):09d}/{ctx.year}-{rng.randint(1, 99999):05d}\n  • {issuer}\n"
                    f"  • 政协提案\n  • {iso}\n  • {iso}\n关于{topic}的提案的答复\n{title}\n\n")
        else:
            clock = f"{rng.randint(8, 17)}:{rng.randint(0, 59):02d}"
            head = f"您的位置:首页 > 信息公开 > 建议提案\n\n{title}\n\n{iso} {clock} 来源:{issuer}\n阅读次数:\n\n"
        head += f"{salute}\n\n您提出的关于《关于{topic}的提案》已收悉。现答复如下:\n\n"
        kind = "政协提案答复"
    elif style == "report":
        title = f"关于{topic}情况的报告"
        head = f"{title}\n{date_line}\n"
        kind = "工作报告"
    elif style == "survey":
        title = f"关于{topic}工作情况的调研报告"
        head = f"{title}\n发布日期:{date_line}\n"
        kind = "调研报告"
    else:
        paper = name.removesuffix("市").removesuffix("省") + "日报"
        title = rng.choice(HEADLINES)
        page = rng.randint(2, 20)
        head = (f"第{rng.choice('ABD')}{page:02d}版:{rng.choice(('家国情怀', '要闻', '乡村振兴'))} 上一版{page - 1}  "
                f"{page + 1}下一版\n{title}\n返回主页 | {paper} | 版面导航\n{date_line}\n\n")
        issuer = paper
        kind = f"第{page:02d}版"
    meta = {"title": title, "issuer": issuer, "region": name, "date": iso, "source": f"合成语料 {issuer} {kind}"}
    return head, meta


def closing(ctx: DocContext, style: str, issuer: str) -> str:
    """The closing paragraph, and for a reply the thanks, signature, date and the site's footer (an address,
    a postal code and a telephone number: no claims)."""
    rng = ctx.rng
    goal = "推动巩固拓展脱贫攻坚成果同乡村振兴有效衔接" if ctx.year >= 2021 else "坚决打赢脱贫攻坚战"
    text = f"\n下一步,我们将进一步提升政治站位,压实工作责任,持续动员社会力量参与帮扶,{goal}。\n"
    if style == "reply":
        work = "巩固拓展脱贫攻坚成果" if ctx.year >= 2021 else "脱贫攻坚"
        text += f"\n再次感谢您对{work}工作的关心支持!\n\n{issuer}\n{_date_line(ctx)}\n"
        if rng.random() < 0.6:
            text += (f"\n主办单位:{ctx.region.name}人民政府办公室 地址:{ctx.region.name}{rng.choice(ROADS)}路"
                     f"{rng.randint(3, 400)}号 邮编:{rng.randint(100000, 860000)} 联系电话:{_phone(rng)}\n")
    elif style == "newspaper":
        text += f"\n(本报记者 {rng.choice(NAMES)} 通讯员 {rng.choice(NAMES)})\n"
    return ctx.punct(text)


def build_document(seed: int, index: int, cities: list[Region], provinces: list[Region]) -> Document:
    """Document ``index`` (1-based) of the corpus for ``seed``: a function of both only."""
    rng = FastRandom(f"{seed}/{index}")
    region = rng.choice(provinces if provinces and rng.random() < PROVINCE_SHARE else cities)
    ctx = DocContext(rng, region, rng.randint(FIRST_YEAR + 1, LAST_YEAR), rng.randint(1, 12), rng.randint(1, 28),
                     rng.random() < 0.3, rng.choice(("\n\n", "\n")))
    style = rng.choice(STYLES)
    head, meta = header(ctx, style)
    tail = closing(ctx, style, meta["issuer"])
    target = int(rng.triangular(*LENGTH)) - len(tail)
    cap = LENGTH[1] - len(tail) - 2
    w = Writer()
    w.add(head)
    _add_paragraph(w, ctx, paragraph(ctx, Section("status", "plain"), 150, cap - w.pos))
    themes = rng.sample([t for t in THEMES if t != "status" and len(_pool(t, region.level, ctx.year, False)) >= 2],
                        rng.randint(3, 6))
    for i, theme in enumerate(themes):
        if i >= 3 and w.pos >= target:
            break
        w.add(ctx.punct(f"{ORDINALS[i]}、{rng.choice(THEMES[theme])}") + ctx.newline)
        sec = Section(theme, rng.choice(("blocks", "blocks", "paren", "digit", "plain")))
        end = w.pos + (target - w.pos) // (len(themes) - i)
        while w.pos < end and _add_paragraph(
                w, ctx, paragraph(ctx, sec, min(end - w.pos, rng.randint(250, 700)), cap - w.pos)):
            pass
    while w.pos < LENGTH[0] - len(tail) and _add_paragraph(
            w, ctx, paragraph(ctx, Section(rng.choice(list(THEMES)), "plain"), 200, cap - w.pos)):
        pass
    w.add(tail)
    return Document(w.text(), w.claims, meta)


def _add_paragraph(w: Writer, ctx: DocContext, sentences: list[Sentence]) -> bool:
    """Write a paragraph; False when there was nothing to write (the document is full)."""
    if not any(s.claims or len(s.text) > 20 for s in sentences):
        return False
    for s in sentences:
        w.add(s.text, s.claims)
    w.add(ctx.newline)
    return True


# ---------------------------------------------------------------- output


def truth_rows(file: str, doc: Document) -> Iterator[tuple]:
    """The document's truth rows, in ``TRUTH_COLUMNS`` order."""
    for c in doc.claims:
        yield (file, c.start, c.end, c.text, c.value, c.value_high,
               c.unit, c.rate, c.qualifier, c.region, c.year or "", c.period_start or "", int(c.cumulative),
               c.indicator, int(c.required), "")


@cache
def _regions() -> tuple[list[Region], list[Region]]:
    return load_regions()


def write_chunk(seed: int, start: int, stop: int, out: Path, width: int) -> tuple[list[tuple], str, int]:
    """Write documents ``start`` … ``stop - 1``; return their manifest rows, their truth as CSV text and
    the number of claims. Each document depends only on (seed, index), so chunks can run anywhere."""
    cities, provinces = _regions()
    manifest, buf, claims = [], io.StringIO(), 0
    truth = csv.writer(buf, lineterminator="\n")
    for i in range(start, stop):
        doc = build_document(seed, i, cities, provinces)
        file = f"doc_{i:0{width}d}.txt"
        (out / file).write_text(doc.text, encoding="utf-8", newline="")
        manifest.append((file, *(doc.meta[k] for k in MANIFEST_COLUMNS[1:])))
        truth.writerows(truth_rows(file, doc))
        claims += len(doc.claims)
    return manifest, buf.getvalue(), claims


def generate(n: int, out: Path, seed: int = 1, jobs: int | None = None) -> int:
    """Write ``n`` documents, ``manifest.csv`` and ``truth.csv`` into ``out`` (on ``jobs`` processes, all
    cores by default; the bytes do not depend on it) and return the number of claims. Documents of an
    earlier, larger corpus in ``out`` (doc_*.txt beyond ``n``) are removed."""
    out.mkdir(parents=True, exist_ok=True)
    width = max(5, len(str(n)))
    jobs = jobs or os.cpu_count() or 1
    size = max(1, min(CHUNK, -(-n // (4 * jobs))))
    chunks = [(seed, a, min(a + size, n + 1), out, width) for a in range(1, n + 1, size)]
    jobs = min(jobs, len(chunks))
    claims = 0
    with (out / "manifest.csv").open("w", encoding="utf-8", newline="") as mf, \
            (out / "truth.csv").open("w", encoding="utf-8", newline="") as tf:
        manifest = csv.writer(mf, lineterminator="\n")
        manifest.writerow(MANIFEST_COLUMNS)
        tf.write(",".join(TRUTH_COLUMNS) + "\n")
        with ProcessPoolExecutor(jobs) if jobs > 1 else nullcontext() as pool:
            results = pool.map(write_chunk, *zip(*chunks, strict=True)) if pool else \
                (write_chunk(*c) for c in chunks)
            for rows, truth, k in results:
                manifest.writerows(rows)
                tf.write(truth)
                claims += k
    names = {f"doc_{i:0{width}d}.txt" for i in range(1, n + 1)}
    for stale in out.glob("doc_*.txt"):
        if stale.name not in names:
            stale.unlink()
    return claims


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m etl.devtools.corpus", description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, required=True, help="number of documents")
    ap.add_argument("--out", type=Path, required=True, help="folder to write into")
    ap.add_argument("--seed", type=int, default=1, help="random seed (same seed and n: same bytes)")
    ap.add_argument("--jobs", type=int, default=None, help="processes (default: all cores; same bytes)")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    claims = generate(a.n, a.out, a.seed, a.jobs)
    print(f"{a.n} documents, {claims} claims in {a.out} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
