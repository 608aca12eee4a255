"""Endpoint values from seed-review sentences and table cells, and what is not an endpoint."""
from pipeline.stages.extract.endpoints import ENDPOINTS, build_vocabulary, find_endpoints, rate_defined

SEED_ABBREVIATIONS = [("PFS", "progression-free survival"), ("ORR", "objective response rate"),
                      ("SLR", "salvage liver resection"), ("OS", "overall survival")]
# the seed defines SLR as "a higher rate of salvage liver resection (SLR)": an outcome by its rate
VOC = build_vocabulary(SEED_ABBREVIATIONS, frozenset({"SLR"}))


def eps(text, voc=VOC):
    return [(e.endpoint, e.value, e.unit, e.comparator_value, e.qualifier) for e in find_endpoints(text, voc)]


def test_table_cells():
    assert eps("PFS: 10.6 months") == [("PFS", 10.6, "months", None, None)]
    assert eps("ORR: 18.5%; PFS: 6.6 months; OS: 42.6 months") == [
        ("ORR", 18.5, "%", None, None), ("PFS", 6.6, "months", None, None), ("OS", 42.6, "months", None, None)]
    assert eps("OS: up to 5 years") == [("OS", 5, "years", None, "up to")]
    assert eps("mPFS 9.6 vs 5.6 months") == [("PFS", 9.6, "months", 5.6, "median")]


def test_seed_sentences():
    s = ("In cases of metastatic NSCLC, the combination of stereotactic body radiation therapy (SBRT) followed "
         "by pembrolizumab (NCT02492568) resulted in a longer PFS compared to SBRT alone (15.56 vs. 4.39 months).")
    assert eps(s) == [("PFS", 15.56, "months", 4.39, None)]
    s = ("Results from the Phase 2 TACITO trial demonstrated that FMT combined with immune checkpoint inhibitors "
         "for the treatment of metastatic renal cell carcinoma was associated with a significant increase in PFS "
         "(24.0 months vs. 9.0 months) and ORR (52% vs. 32%) compared with patients receiving placebo therapy.")
    assert eps(s) == [("PFS", 24.0, "months", 9.0, None), ("ORR", 52, "%", 32, None)]
    s = ("The NAC-T treatment demonstrated favorable safety, with an overall response rate of 63.6%, and the "
         "disease control rate reached 100%.")
    assert eps(s) == [("ORR", 63.6, "%", None, None), ("DCR", 100, "%", None, None)]
    s = "The median PFS was 5.0 months, and the median overall survival was prolonged to 25.6 months."
    assert eps(s) == [("PFS", 5.0, "months", None, "median"), ("OS", 25.6, "months", None, "median")]
    s = ("have led to a higher rate of salvage liver resection (SLR) than TACE alone, at 59.2% compared to 18.3%.")
    assert eps(s) == [("SLR", 59.2, "%", 18.3, None)]


def test_no_value_no_endpoint():
    assert eps("partial cryoablation significantly increased the ORR.") == []
    assert eps("improving progression-free survival (PFS) and objective response rate (ORR) [Table 1].") == []
    assert eps("ORR: objective response rate; OS: overall survival; PFS: progression-free survival") == []


def test_ratios_ci_and_animals_are_not_endpoints():
    assert eps("PFS (HR 0.55, 95% CI 0.41-0.73)") == []
    assert eps("OS was longer (hazard ratio 0.7; 95% CI 0.5-0.9)") == []
    assert eps("In tumor-bearing mice, the median OS was 42 days.") == []
    assert eps("This platform achieved 100% survival in orthotopic HCC models") == []


def test_value_before_the_endpoint_and_planned_values():
    voc = build_vocabulary([("pCR", "pathological complete response")])
    got = eps("Approximately 15% of patients show a pathological complete response (pCR).", voc)
    assert got == [("pCR", 15, "%", None, "Approximately")]
    assert eps("an increased pCR rate to 20.4%", voc) == [("pCR", 20.4, "%", None, None)]
    assert eps("we assume that 13% of patients will reach pCR if undergoing sCRT", voc) == []
    assert eps("we expect the pCR rate to be 30% after 65 Gy", voc) == []


def test_document_defined_endpoints_and_conflicting_letters():
    voc = build_vocabulary([("TTF", "time to treatment failure"), ("PR", "progesterone receptor"),
                            ("BMI", "body mass index")])
    assert eps("TTF was 7.2 months", voc) == [("TTF", 7.2, "months", None, None)]
    assert eps("PR-positive tumours in 60% of patients; PR in 40%", voc) == []
    assert eps("BMI of 24.5 years", voc) == []


def test_ambiguous_letters_need_a_tight_value():
    assert eps("CR: 20%") == [("CR", 20, "%", None, None)]
    assert eps("a CR was seen in a patient treated for 6 months") == []


def test_table_is_the_single_source():
    canon = [c for c, _, _, _ in ENDPOINTS]
    assert len(canon) == len(set(canon))
    assert {"PFS", "OS", "ORR", "DCR", "DFS", "EFS", "RFS", "TTP", "DOR", "CR", "PR", "PCR", "MPR", "CBR"} <= set(canon)


def test_outcome_defined_by_its_rate():
    s = "have led to a higher rate of salvage liver resection (SLR) than TACE alone"
    assert rate_defined("SLR", "salvage liver resection", s)
    assert not rate_defined("TACE", "transarterial chemoembolization", "patients received transarterial chemoembolization (TACE)")
    plain = build_vocabulary(SEED_ABBREVIATIONS)
    assert eps("SLR: 59.2%", plain) == []  # not an endpoint unless the document says it is a rate
    assert eps("SLR: 59.2%") == [("SLR", 59.2, "%", None, None)]


LANDMARK_VOC = build_vocabulary([("OS", "overall survival"), ("DFS", "disease-free survival"),
                                 ("MST", "median survival time"), ("TTF", "time to treatment failure")])


def landmarks(text):
    return [(e.endpoint, e.value, e.unit, e.comparator_value, e.timepoint) for e in find_endpoints(text, LANDMARK_VOC)]


def test_landmark_rates_carry_their_timepoint():
    assert landmarks("The 3-year OS rate was 38% in arm A") == [("OS", 38.0, "%", None, "3-year")]
    assert landmarks("the 2-year DFS rate was 71.0% versus 55.2%") == [("DFS", 71.0, "%", 55.2, "2-year")]
    assert landmarks("the 5\u2010year DFS was 80%") == [("DFS", 80.0, "%", None, "5-year")]


def test_a_landmark_after_the_endpoint_is_not_its_value():
    assert landmarks("overall survival at 5 years was 62%") == [("OS", 62.0, "%", None, "5-year")]
    assert landmarks("OS at 12 months: 45%") == [("OS", 45.0, "%", None, "12-month")]


def test_listed_landmarks_give_one_record_each():
    assert landmarks("1-, 3- and 5-year OS rates were 90%, 70% and 50%, respectively") == [
        ("OS", 90.0, "%", None, "1-year"), ("OS", 70.0, "%", None, "3-year"), ("OS", 50.0, "%", None, "5-year")]


def test_endpoints_the_document_defines():
    assert landmarks("MST was 14 months") == [("MST", 14.0, "months", None, None)]
    assert landmarks("median TTF was 6.1 months")[0][:3] == ("TTF", 6.1, "months")
    assert landmarks("a median OS of 24 months")[0][4] is None  # a median has no landmark


def test_endpoints_a_table_states_by_its_layout():
    from pipeline.stages.extract.table_endpoints import header_endpoint, row_label_endpoints

    voc = build_vocabulary([("PFS", "progression-free survival"), ("OS", "overall survival")])

    def rows(label, cells, header):
        return [(t.column, t.match.endpoint, t.match.value, t.match.unit, t.match.comparator_value, t.match.qualifier,
                 t.match.timepoint) for t in row_label_endpoints(label, [label, *cells], header, voc)]

    arms = ["Outcome", "Arm A (n = 40)", "Arm B (n = 42)", "p value"]
    assert rows("2-year PFS rate", ["71.0%", "55.2%", "0.03"], arms) == [(1, "PFS", 71.0, "%", 55.2, None, "2-year")]
    assert rows("Median OS, months", ["24.0", "9.0"], ["", "A", "B"]) == [(1, "OS", 24.0, "months", 9.0, "median", None)]
    assert rows("Overall survival", ["0.62 (0.40-0.80)"], ["", "HR (95% CI)"]) == []  # a hazard ratio column
    assert rows("Age, years", ["61", "59"], ["", "A", "B"]) == []
    assert [r[2] for r in rows("ORR, %", ["45", "30", "20"], ["", "A", "B", "C"])] == [45.0, 30.0, 20.0]
    e = header_endpoint("Median PFS, months", "10.6", voc)
    assert (e.endpoint, e.value, e.unit, e.qualifier) == ("PFS", 10.6, "months", "median")
    assert header_endpoint("Age, years", "61", voc) is None
    assert header_endpoint("ORR (%)", "NR", voc) is None


def test_meta_analysis_phrasings():
    voc = build_vocabulary([("ORR", "overall response rate")])

    def vals(text):
        return [(e.endpoint, e.value, e.unit) for e in find_endpoints(text, voc)]

    assert vals("The overall pooled ORR of CAR T therapy for patients with solid and hematologic malignancies "
                "was 56% (95% CI: 46-66%).") == [("ORR", 56.0, "%")]
    assert vals("The ORR in each clinical study showed wide differences, from 0.0% to 100.0%.") == [
        ("ORR", 0.0, "%"), ("ORR", 100.0, "%")]
    assert [v for _, v, _ in vals("The ORR in ALL, HL and CLL were 79% (95% CI: 70-86%), 37% (95% CI: 21-56%) "
                                  "and 68% (95% CI: 45-84%), respectively.")] == [79.0, 37.0, 68.0]
    assert vals("The ORR of 45% in the pilot study was lower than the 30 patients expected") == [("ORR", 45.0, "%")]


def test_median_survival_time_ranges_and_lab_pcr():
    voc = build_vocabulary()
    assert eps("The median survival time of untreated patients is 3–6 months.", voc) == [
        ("OS", 3, "months", None, "median"), ("OS", 6, "months", None, "median")]
    assert eps("The median survival rates were not reported.", voc) == []
    # "PCR" undefined is the polymerase chain reaction unless a value follows right after it
    assert eps("PCR products were separated on a 1.5% agarose gel.", voc) == []
    assert eps("The PCR rate was 20%.", voc) == [("PCR", 20, "%", None, None)]
    assert eps("The pCR rate was 31.3%.", voc) == [("pCR", 31.3, "%", None, None)]


def test_caption_names_the_endpoint_of_a_grid_of_values():
    from pipeline.stages.extract.table_endpoints import caption_endpoints

    voc = build_vocabulary()
    header = ["", "Study A (2010)", "Study B (2013)", "Study C (2015)"]
    rows = [["Drug + radiotherapy*", "4.7", "8.6", "–"], ["Radiotherapy", "4.3", "7.0", ""]]
    got = caption_endpoints("Median survival time in the included trials.", header, rows, None, voc)
    assert {k: (e.endpoint, e.value, e.unit, e.comparator_value, e.qualifier) for k, e in got.items()} == {
        (0, 1): ("OS", 4.7, "months", 4.3, "median"), (0, 2): ("OS", 8.6, "months", 7.0, "median")}
    # arms as columns, percent cells: each row one record with its comparator
    rows = [["Study A", "52%", "32%"], ["Study B", "40%", "35%"]]
    got = caption_endpoints("Objective response rate by study", ["Study", "Arm A", "Arm B"], rows, None, voc)
    assert [(e.value, e.comparator_value) for e in got.values()] == [(52, 32), (40, 35)]
    # a table of study characteristics is not a table of the endpoint's values
    rows = [["Study A", "2010", "120", "USA"], ["Study B", "2013", "85", "China"]]
    assert caption_endpoints("Studies reporting overall survival", ["Study", "Year", "n", "Country"], rows,
                             None, voc) == {}
