"""UI strings (Chinese first, English toggle) and the number formatting Chinese readers expect.

>>> fmt_value(96467, "person")
'96467人'
>>> fmt_value(2770000, "person")
'277万人'
>>> fmt_value(775327800, "yuan")
'7.75亿元'
>>> fmt_value(551500, "person", qualifier="approx")
'约55.15万人'
>>> fmt_value(2770000, "person", lang="en")
'2.77 million persons'
>>> fmt_value(400, "yuan", rate="per_person_month"), fmt_value(400, "yuan", lang="en", rate="per_person_month")
('400元/人/月', '400 yuan per person per month')
"""

from __future__ import annotations

import math

LANGS = ("zh", "en")
FONT_FAMILY = "Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, sans-serif"

STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        "app_title": "脱贫攻坚指标看板",
        "nav_home": "首页",
        "nav_overview": "总览",
        "nav_compare": "对比",
        "nav_data": "数据",
        "nav_zhengzhou": "郑州市 2013→2022",
        "nav_jiangsu": "江苏省进展",
        "lang_toggle": "English",
        "home_intro": "从政府文件中抽取的脱贫攻坚数字：每个数据点都能追溯到原文句子、"
        "文件标题、发文单位和日期。",
        "home_views": "现成视图",
        "home_pages": "页面",
        "home_stats": "数据库",
        "home_overview_desc": "各地区关键指标的最新数值，附年份、单位和出处。",
        "home_compare_desc": "选择指标、地区和年份，画线图或柱状图，可下载 CSV 和 PNG。",
        "home_data_desc": "全部抽取出的数字及其原文句子，可按地区、年份、指标、文件筛选。",
        "stat_documents": "份文件",
        "stat_claims": "条数字",
        "stat_facts": "个数据点",
        "stat_regions": "个地区",
        "region": "地区",
        "region_code": "区划代码",
        "regions": "地区",
        "indicator": "指标",
        "years": "年份范围",
        "year": "年份",
        "document": "文件",
        "unit": "单位",
        "qualifier": "限定",
        "value": "数值",
        "sentence": "原文句子",
        "issuer": "发文单位",
        "date": "日期",
        "mention": "原文数字",
        "theme": "主题",
        "mode": "显示",
        "mode_abs": "数值",
        "mode_change": "较首年变化",
        "tab_table": "数据表",
        "tab_sources": "来源",
        "download_csv": "下载 CSV",
        "download_png": "下载 PNG",
        "choose_indicator": "选择指标（可搜索）",
        "choose_regions": "选择地区",
        "choose_region": "选择地区",
        "any": "全部",
        "selected_count": "已选 {num_selected} 项",
        "select_all": "全选",
        "deselect_all": "全不选",
        "search": "搜索",
        "clear_search": "清除搜索",
        "clear_selection": "清除",
        "no_options_found": "无匹配项",
        "click_hint": "点击图中的点，查看它出自哪句原文。",
        "source_title": "出处",
        "chosen": "采用",
        "other_value": "另一文件的数值",
        "open_document": "打开文件",
        "open_chart": "看图表",
        "open_claims": "看全部数字",
        "no_data": "所选范围内没有数据。",
        "no_regions": "请至少选择一个地区。",
        "conflict": "文件间不一致",
        "conflict_note": "不同文件给出了不同数值，图中✕为另一文件的数值。",
        "approx": "约数",
        "at_least": "不少于",
        "at_most": "不超过",
        "exact": "精确",
        "source_prefix": "来源：",
        "latest": "最新",
        "trend": "趋势",
        "overview_title": "总览：关键指标的最新数值",
        "compare_title": "对比",
        "data_title": "数据：全部抽取出的数字",
        "document_title": "文件",
        "rows": "条",
        "rows_limited": "仅显示前 {n} 条，请加筛选条件。",
        "no_document": "找不到这份文件。",
        "claims_in_doc": "本文件中的数字",
        "not_placed": "未归入指标",
        "sheet_heading": "工作表：{name}",
        "rows_hidden": "……此处略去 {n} 行（全部数字见“数据”页）",
        "unsure_guess": "{name}？（未确定）",
        "candidate": "候选",
        "accept_candidate": "✓ 采纳",
        "accept_candidate_hint": "机器未能确定指标：点“采纳”即确认其候选指标（记入复核记录）",
        "unsure": "未确定（待复核）",
        "show_unsure": "显示未确定的数字",
        "unsure_note": "空心点为机器未能确定指标的数字，尚未复核，不作为事实",
        "back_to_data": "← 返回数据表",
        "change_since": "较{year}年变化",
        "bad_param": "参数有误",
        "db_missing": "找不到数据库 {path}。请先运行 make build"
        "（即 python -m etl build --docs seeds --db {path}）。",
        "view_not_found": "没有这个视图。",
        "chart": "图表",
        "cell": "格",
        "per_unit_note": "按单位分组，各小图纵轴不同。",
        "exact_value": "精确值",
        "nav_checks": "核查",
        "home_checks_desc": "数字之间是否一致：分项与总数、户均人数、年度跳变、文件间不一致，可导出 CSV。",
        "status": "状态",
        "status_machine": "机器识别",
        "status_accepted": "已确认",
        "status_rejected": "已驳回",
        "status_corrected": "已更正",
        "status_queue": "待复核",
        "queue_link": "待复核 {n} 条",
        "review_title": "复核",
        "review_hint": "在表格左侧勾选数字，然后确认、驳回或更正（更正时只提交改动的字段）。",
        "selected_n": "已选 {n} 条",
        "accept": "确认",
        "reject": "驳回",
        "correct": "更正",
        "reviewer": "复核人",
        "reviewed_at": "复核时间",
        "who_unverified": "{who}（未验证）",
        "who_cli": "{who}（命令行）",
        "sign_in": "登录",
        "sign_out": "退出",
        "signed_in_as": "{name}（{role}）",
        "role_viewer": "查看",
        "role_reviewer": "复核员",
        "role_editor": "编辑",
        "role_admin": "管理员",
        "local_mode": "本机模式：{name}",
        "login_title": "登录",
        "login_name": "账号",
        "login_password": "密码",
        "login_submit": "登录",
        "login_failed": "账号或密码不对。",
        "login_limited": "登录失败次数过多，请一分钟后再试。",
        "login_local": "本机模式：无需登录，只有本机（127.0.0.1）可以写入。团队使用请先创建账号："
        "python -m etl users add 姓名 --role admin，再用 make serve 启动。",
        "login_back": "返回看板",
        "write_needs_sign_in": "登录为复核员可确认、驳回、更正数字；编辑可上传文件、修改文件信息。",
        "read_only_note": "本看板为只读。",
        "value_base": "数值（基本单位）",
        "review_done_accept": "已确认 {n} 条数字。",
        "review_done_reject": "已驳回 {n} 条数字。",
        "review_done_set": "已更正 {n} 条数字：{changes}。",
        "review_failed": "未能保存：{reason}",
        "no_selection": "请先在表格左侧勾选数字。",
        "nothing_changed": "没有改动任何字段。",
        "reviewed_mark": "已人工核实",
        "machine_read": "机器识别",
        "review_status": "核实状态",
        "upload_title": "上传文件",
        "upload_drop": "把文件拖到这里，或点击选择（可多选）",
        "upload_formats": "支持 txt（UTF-8、GBK、UTF-16）、HTML、.docx、带文字层的 PDF，以及电子表格 .xlsx、.xls、"
        ".csv（每个工作表读成表格），单个文件不超过 20 MB。"
        "地区、日期、标题可不填（从文中推断）。",
        "upload_region": "地区（可不填）",
        "upload_date": "日期（YYYY-MM-DD，可不填）",
        "upload_doc_title": "标题（可不填）",
        "report_year": "报告年度",
        "doc_title_field": "标题",
        "prov_given": "上传时填写",
        "prov_manifest": "清单",
        "prov_text": "正文推断",
        "prov_file": "文件元数据",
        "doc_fix_title": "更正文件信息",
        "doc_fix_hint": "改动会写入文件清单，重建数据库后仍然保留；清空一项则改回从正文推断。",
        "doc_fix_save": "保存并重新抽取",
        "doc_fix_saved": "已保存：{fields}。本文件已重新抽取。",
        "doc_fix_nothing": "没有改动。",
        "doc_fix_failed": "未能保存：{reason}",
        "upload_running": "正在处理上传的文件…",
        "upload_progress": "已处理 {done}/{total} 份文件，找到 {claims} 条数字。",
        "upload_added": "已添加",
        "upload_duplicates": "已存在，未重复添加",
        "upload_refused": "未能添加",
        "upload_failed": "上传失败，数据库未改动：{reason}",
        "claims_n": "{n} 条数字",
        "bad_date": "日期应为 YYYY-MM-DD、YYYY-MM 或 YYYY：“{date}”",
        "checks_title": "核查：数字之间是否一致",
        "checks_intro": "分项之和与总数、表格合计行与各行之和、户均人数（1–8 人）、同一指标相邻年份变化超过一半、"
        "不同文件给出不同数值。"
        "点击数字可打开原文并高亮。",
        "finding_kind": "类型",
        "finding_status": "结果",
        "kind_parts_total": "分项与总数",
        "kind_table_total": "表格合计",
        "kind_persons_per_household": "户均人数",
        "kind_year_jump": "年度跳变",
        "kind_conflict": "文件间不一致",
        "fstatus_mismatch": "不一致",
        "fstatus_warning": "需留意",
        "fstatus_ok": "一致",
        "message": "说明",
        "involved": "涉及数字",
        "claim_ids": "数字编号",
        "findings_summary": "不一致 {mismatch} 项 · 需留意 {warning} 项 · 一致 {ok} 项",
        "download_findings": "下载核查结果 CSV",
    },
    "en": {
        "app_title": "Poverty-alleviation indicators",
        "nav_home": "Home",
        "nav_overview": "Overview",
        "nav_compare": "Compare",
        "nav_data": "Data",
        "nav_zhengzhou": "Zhengzhou 2013→2022",
        "nav_jiangsu": "Jiangsu progress",
        "lang_toggle": "中文",
        "home_intro": "Figures extracted from government documents on poverty alleviation: every data point "
        "leads back to its sentence, document title, issuer and date.",
        "home_views": "Ready-made views",
        "home_pages": "Pages",
        "home_stats": "Database",
        "home_overview_desc": "Latest value of the key indicators per region, with year, unit and source.",
        "home_compare_desc": "Pick an indicator, regions and years; line or bar chart; "
        "CSV and PNG downloads.",
        "home_data_desc": "Every extracted figure with its sentence, filterable by region, year, indicator "
        "and document.",
        "stat_documents": "documents",
        "stat_claims": "figures",
        "stat_facts": "data points",
        "stat_regions": "regions",
        "region": "Region",
        "region_code": "Code",
        "regions": "Regions",
        "indicator": "Indicator",
        "years": "Years",
        "year": "Year",
        "document": "Document",
        "unit": "Unit",
        "qualifier": "Qualifier",
        "value": "Value",
        "sentence": "Sentence",
        "issuer": "Issuer",
        "date": "Date",
        "mention": "As written",
        "theme": "Theme",
        "mode": "Show",
        "mode_abs": "Values",
        "mode_change": "Change since first year",
        "tab_table": "Table",
        "tab_sources": "Sources",
        "download_csv": "Download CSV",
        "download_png": "Download PNG",
        "choose_indicator": "Choose an indicator (type to search)",
        "choose_regions": "Choose regions",
        "choose_region": "Choose a region",
        "any": "All",
        "selected_count": "{num_selected} selected",
        "select_all": "Select all",
        "deselect_all": "Deselect all",
        "search": "Search",
        "clear_search": "Clear search",
        "clear_selection": "Clear",
        "no_options_found": "No match",
        "click_hint": "Click a point in the chart to see the sentence it came from.",
        "source_title": "Source",
        "chosen": "used",
        "other_value": "Value in another document",
        "open_document": "Open document",
        "open_chart": "Chart",
        "open_claims": "All figures",
        "no_data": "No data in the selected range.",
        "no_regions": "Choose at least one region.",
        "conflict": "Documents disagree",
        "conflict_note": "Documents give different values; ✕ marks the other document's value.",
        "approx": "approximate",
        "at_least": "at least",
        "at_most": "at most",
        "exact": "exact",
        "source_prefix": "Source: ",
        "latest": "latest",
        "trend": "Trend",
        "overview_title": "Overview: latest value of the key indicators",
        "compare_title": "Compare",
        "data_title": "Data: every extracted figure",
        "document_title": "Document",
        "rows": "rows",
        "rows_limited": "Showing the first {n} rows; add a filter.",
        "no_document": "No such document.",
        "claims_in_doc": "Figures in this document",
        "not_placed": "no indicator",
        "sheet_heading": "Sheet: {name}",
        "rows_hidden": "… {n} rows not shown here (every figure is on the data page)",
        "unsure_guess": "{name}? (unsure)",
        "candidate": "Guess",
        "accept_candidate": "✓ Accept",
        "accept_candidate_hint": "The machine was unsure of the indicator: click Accept to confirm its guess "
        "(logged as a review)",
        "unsure": "unsure (to review)",
        "show_unsure": "Show unsure figures",
        "unsure_note": "Hollow points: figures whose indicator the machine was unsure of, not yet reviewed, not facts",
        "back_to_data": "← Back to the data table",
        "change_since": "Change since {year}",
        "bad_param": "Bad parameter",
        "db_missing": "Database {path} not found. Build it first: make build "
        "(python -m etl build --docs seeds --db {path}).",
        "view_not_found": "No such view.",
        "chart": "Chart",
        "cell": "cell",
        "per_unit_note": "One panel per unit; each panel has its own axis.",
        "exact_value": "Exact value",
        "nav_checks": "Checks",
        "home_checks_desc": "Do the figures agree? Parts against totals, persons per household, jumps between "
        "years, documents that disagree; CSV export.",
        "status": "Status",
        "status_machine": "machine-read",
        "status_accepted": "accepted",
        "status_rejected": "rejected",
        "status_corrected": "corrected",
        "status_queue": "to review",
        "queue_link": "{n} to review",
        "review_title": "Review",
        "review_hint": "Tick claims in the grid's first column, then accept, reject or correct them (a correction "
        "sends the changed fields only).",
        "selected_n": "{n} selected",
        "accept": "Accept",
        "reject": "Reject",
        "correct": "Correct",
        "reviewer": "Reviewed by",
        "reviewed_at": "Reviewed at",
        "who_unverified": "{who} (unverified)",
        "who_cli": "{who} (command line)",
        "sign_in": "Sign in",
        "sign_out": "Sign out",
        "signed_in_as": "{name} ({role})",
        "role_viewer": "viewer",
        "role_reviewer": "reviewer",
        "role_editor": "editor",
        "role_admin": "admin",
        "local_mode": "Local mode: {name}",
        "login_title": "Sign in",
        "login_name": "Account",
        "login_password": "Password",
        "login_submit": "Sign in",
        "login_failed": "Wrong account or password.",
        "login_limited": "Too many failed sign-ins; try again in a minute.",
        "login_local": "Local mode: no sign-in; only this machine (127.0.0.1) may write. For a team, create an "
        "account first (python -m etl users add NAME --role admin) and start with make serve.",
        "login_back": "Back to the dashboard",
        "write_needs_sign_in": "Sign in as a reviewer to accept, reject or correct claims; as an editor to upload "
        "documents and correct their details.",
        "read_only_note": "This dashboard is read-only.",
        "value_base": "Value (base unit)",
        "review_done_accept": "Accepted {n} claims.",
        "review_done_reject": "Rejected {n} claims.",
        "review_done_set": "Corrected {n} claims: {changes}.",
        "review_failed": "Not saved: {reason}",
        "no_selection": "Tick claims in the grid first.",
        "nothing_changed": "No field was changed.",
        "reviewed_mark": "reviewed by a person",
        "machine_read": "machine-read",
        "review_status": "review_status",
        "upload_title": "Upload documents",
        "upload_drop": "Drop files here, or click to choose (several at once)",
        "upload_formats": "Plain text (UTF-8, GBK, UTF-16), HTML, .docx, PDFs with a text layer, and spreadsheets "
        "(.xlsx, .xls, .csv: each sheet read as tables), up to 20 MB each. "
        "Region, date and title are optional (inferred from the text).",
        "upload_region": "Region (optional)",
        "upload_date": "Date (YYYY-MM-DD, optional)",
        "upload_doc_title": "Title (optional)",
        "report_year": "Reporting year",
        "doc_title_field": "Title",
        "prov_given": "given at upload",
        "prov_manifest": "manifest",
        "prov_text": "inferred from the text",
        "prov_file": "file metadata",
        "doc_fix_title": "Correct the document's details",
        "doc_fix_hint": "Changes go into the documents' manifest and survive rebuilds; an emptied field goes "
        "back to what the text says.",
        "doc_fix_save": "Save and extract again",
        "doc_fix_saved": "Saved: {fields}. The document was extracted again.",
        "doc_fix_nothing": "Nothing changed.",
        "doc_fix_failed": "Not saved: {reason}",
        "upload_running": "Processing the uploaded files…",
        "upload_progress": "{done}/{total} documents processed, {claims} claims found.",
        "upload_added": "Added",
        "upload_duplicates": "Already stored, not added again",
        "upload_refused": "Not added",
        "upload_failed": "Upload failed, the database is unchanged: {reason}",
        "claims_n": "{n} claims",
        "bad_date": "The date must be YYYY-MM-DD, YYYY-MM or YYYY: '{date}'",
        "checks_title": "Checks: do the figures agree?",
        "checks_intro": "Parts against their total, a table's total row against its rows, persons per household "
        "(1 to 8), an indicator changing by more "
        "than half between years, documents giving different values. A claim opens its document, highlighted.",
        "finding_kind": "Kind",
        "finding_status": "Result",
        "kind_parts_total": "Parts vs total",
        "kind_table_total": "Table totals",
        "kind_persons_per_household": "Persons per household",
        "kind_year_jump": "Jump between years",
        "kind_conflict": "Documents disagree",
        "fstatus_mismatch": "mismatch",
        "fstatus_warning": "warning",
        "fstatus_ok": "ok",
        "message": "Message",
        "involved": "Claims",
        "claim_ids": "claim_ids",
        "findings_summary": "{mismatch} mismatches · {warning} warnings · {ok} passed",
        "download_findings": "Download findings CSV",
    },
}

UNITS: dict[str, tuple[str, str]] = {  # unit -> (zh suffix, en suffix)
    "yuan": ("元", "yuan"),
    "household": ("户", "households"),
    "person": ("人", "persons"),
    "person_time": ("人次", "person-times"),
    "percent": ("%", "%"),
    "percentage_point": ("个百分点", "pp"),
    "count": ("个", ""),
    "year": ("年", "years"),
    "mu": ("亩", "mu"),
    "km": ("公里", "km"),
    "ton": ("吨", "t"),
}
NO_SPACE_EN = {"percent", "percentage_point"}
RATES: dict[str, tuple[str, str]] = {  # rate -> (zh suffix after the unit, en suffix): 400元/人/月
    "per_person_year": ("/人/年", "per person per year"),
    "per_person_month": ("/人/月", "per person per month"),
    "per_person_day": ("/人/天", "per person per day"),
    "per_person": ("/人", "per person"),
    "per_household": ("/户", "per household"),
    "per_student": ("/生", "per student"),
    "per_student_year": ("/生/年", "per student per year"),
    "per_village": ("/村", "per village"),
    "per_team": ("/队", "per team"),
    "per_mu": ("/亩", "per mu"),
    "per_year": ("/年", "per year"),
    "per_month": ("/月", "per month"),
    "per_day": ("/天", "per day"),
}


# Reasons etl.storage.ingest gives for a refused or duplicate file (English, after "name: "), by how they start.
REASONS_ZH: tuple[tuple[str, str], ...] = (
    ("already stored", "已有相同文本的文件"),
    ("too large", "文件过大（上限 20 MB）"),
    ("binary", "二进制文件，不是文本文件"),
    ("not text in", "无法识别的编码（不是 UTF-8、UTF-16 或 GBK/GB18030）"),
    ("invalid utf", "编码错误"),
    ("unknown format", "不支持的格式"),
    ("PDF without a text layer", "PDF 没有文字层（扫描件？请先做文字识别）"),
    ("unreadable PDF", "PDF 无法读取"),
    ("unreadable .docx", ".docx 无法读取"),
    ("XML entit", "含 XML 实体声明或 DTD，拒收"),
    ("a .docx whose parts decompress", ".docx 解压后过大（疑似压缩炸弹），拒收"),
    ("a .docx with", ".docx 内部文件过多，拒收"),
    ("its text part unpacks to", ".docx 正文解压后过大，拒收"),
    ("took longer than", "处理超时，拒收"),
    ("needed more than", "所需内存超限，拒收"),
    ("no text in the document", "文件中没有文字"),
)


def lang_of(value: str | None) -> str:
    """'en' or 'zh' (the default) from a ``lang`` query parameter."""
    return "en" if value == "en" else "zh"


def t(key: str, lang: str = "zh", **fmt: object) -> str:
    """The UI string ``key`` in ``lang``, formatted with ``fmt``."""
    text = STRINGS[lang_of(lang)].get(key) or STRINGS["zh"][key]
    return text.format(**fmt) if fmt else text


def _label(key: str, fallback: str, lang: str) -> str:
    return t(key, lang) if key in STRINGS["zh"] else fallback


def status_label(status: str | None, lang: str = "zh") -> str:
    """Review status of a claim: 'rejected' -> '已驳回'; 'queue' -> '待复核'; None -> '机器识别'."""
    return _label(f"status_{status or 'machine'}", str(status), lang)


def kind_label(kind: str, lang: str = "zh") -> str:
    """Kind of a consistency finding: 'parts_total' -> '分项与总数'."""
    return _label(f"kind_{kind}", kind, lang)


def finding_status_label(status: str, lang: str = "zh") -> str:
    """Result of a consistency check: 'mismatch' -> '不一致', 'warning' -> '需留意', 'ok' -> '一致'."""
    return _label(f"fstatus_{status}", status, lang)


def reason_text(line: str, lang: str = "zh") -> tuple[str, str]:
    """(file name, reason) from etl.storage.ingest's 'name: reason'; the reason in Chinese first, the original kept.

    >>> reason_text("scan.pdf: PDF without a text layer (a scan?): run OCR first")
    ('scan.pdf', 'PDF 没有文字层（扫描件？请先做文字识别） · PDF without a text layer (a scan?): run OCR first')
    """
    name, _, reason = line.partition(": ")
    if lang == "en":
        return name, reason
    zh = next((z for start, z in REASONS_ZH if reason.lower().startswith(start.lower())), "")
    return name, f"{zh} · {reason}" if zh else reason


def unit_label(unit: str, lang: str = "zh") -> str:
    """'person' -> '人' (zh) or 'persons' (en); unknown units pass through."""
    zh, en = UNITS.get(unit, (unit, unit))
    return en if lang == "en" else zh


def rate_label(rate: object, lang: str = "zh") -> str:
    """'per_person_month' -> '/人/月' (zh) or ' per person per month' (en); '' for none."""
    if not isinstance(rate, str) or not rate:
        return ""
    zh, en = RATES.get(rate, (f"/{rate}", rate))
    return f" {en}" if lang == "en" else zh


def qualifier_label(qualifier: str | None, lang: str = "zh") -> str:
    """'approx' -> '约数'; '' for exact."""
    if not qualifier or qualifier == "exact":
        return ""
    return t(qualifier, lang) if qualifier in ("approx", "at_least", "at_most") else qualifier


def _trim(x: float, digits: int = 2) -> str:
    """1.50 -> '1.5', 277.0 -> '277', 96467 -> '96467'."""
    text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _number_zh(v: float, unit: str) -> str:
    big = abs(v)
    if unit in ("percent", "percentage_point", "year"):
        return _trim(v)
    threshold = 1e4 if unit == "yuan" else 1e5
    if big >= 1e8:
        return _trim(v / 1e8) + "亿"
    if big >= threshold:
        return _trim(v / 1e4) + "万"
    return _trim(v)


def _number_en(v: float, unit: str) -> str:
    big = abs(v)
    if unit in ("percent", "percentage_point", "year"):
        return _trim(v)
    if big >= 1e9:
        return _trim(v / 1e9) + " billion"
    if big >= 1e6:
        return _trim(v / 1e6) + " million"
    text = f"{v:,.2f}".rstrip("0").rstrip(".")
    return text


def fmt_number(value: float | None, unit: str, lang: str = "zh") -> str:
    """The number alone, scaled as readers expect: 2770000 person -> '277万' (zh), '2.77 million' (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return _number_en(value, unit) if lang == "en" else _number_zh(value, unit)


def fmt_value(
    value: float | None,
    unit: str,
    lang: str = "zh",
    qualifier: str | None = None,
    value_high: float | None = None,
    with_unit: bool = True,
    rate: object = None,
) -> str:
    """Number, range, unit, rate and qualifier as one label: '约55.15万人', '99.99%以上', '3万–5万人',
    '400元/人/月'."""
    number = fmt_number(value, unit, lang)
    if value_high is not None and not (isinstance(value_high, float) and math.isnan(value_high)):
        number = f"{number}–{fmt_number(value_high, unit, lang)}"
    suffix = unit_label(unit, lang) + rate_label(rate, lang) if with_unit else rate_label(rate, lang)
    if lang == "en":
        text = number + suffix if unit in NO_SPACE_EN or not suffix else f"{number} {suffix}"
        prefix = {"approx": "about ", "at_least": "at least ", "at_most": "at most "}.get(qualifier or "", "")
        return prefix + text
    text = number + suffix
    if qualifier == "approx":
        return "约" + text
    if qualifier == "at_least":
        return text + "以上"
    if qualifier == "at_most":
        return text + "以下"
    return text


def fmt_exact(value: float | None, unit: str, lang: str = "zh") -> str:
    """The unscaled number with its unit, for hover text and tables: 96467 -> '96,467人'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    suffix = unit_label(unit, lang)
    if lang == "en" and suffix and unit not in NO_SPACE_EN:
        return f"{text} {suffix}"
    return text + suffix


def axis_scale(unit: str, max_abs: float, lang: str = "zh") -> tuple[float, str]:
    """(divisor, axis unit) so ticks read naturally: (1e4, '万人') for 96467..2770000 persons."""
    suffix = unit_label(unit, lang)
    if unit in ("percent", "percentage_point", "year"):
        return 1.0, suffix
    if lang == "en":
        if max_abs >= 1e9:
            return 1e9, f"billion {suffix}".strip()
        if max_abs >= 1e6:
            return 1e6, f"million {suffix}".strip()
        return 1.0, suffix
    if max_abs >= 1e9:
        return 1e8, "亿" + suffix
    if max_abs >= (1e4 if unit == "yuan" else 1e5):
        return 1e4, "万" + suffix
    return 1.0, suffix


def theme_label(theme: str, theme_zh: str, lang: str = "zh") -> str:
    """'poverty_status', '脱贫攻坚进展' -> '脱贫攻坚进展' (zh) or 'Poverty status' (en)."""
    return theme.replace("_", " ").capitalize() if lang == "en" else theme_zh


def dropdown_labels(lang: str) -> dict[str, str]:
    """The ``labels`` prop of dcc.Dropdown in ``lang`` (Dash 4 says '2 selected' otherwise)."""
    keys = (
        "selected_count",
        "select_all",
        "deselect_all",
        "search",
        "clear_search",
        "clear_selection",
        "no_options_found",
    )
    return {k: t(k, lang) for k in keys}
