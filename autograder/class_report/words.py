"""The class report's own words (headings, labels, reasons), in English and Korean.

One entry per phrase, ``{language: template}`` (``str.format``), as in
:mod:`selfcheck.messages`; a language missing an entry falls back to English. What each
mistake means is in :mod:`autograder.class_report.explanations`.
"""

from selfcheck.assignment import DEFAULT_LANGUAGE

WORDS = {
    "title": {"en": "Class report: {assignment}", "ko": "학급 보고서: {assignment}"},
    "intro": {
        "en": "{students} students graded; mean {mean:.1f} / {max:g}, median {median:g}. "
              "Read from {source}.",
        "ko": "채점한 학생 {students}명, 평균 {mean:.1f} / {max:g}점, 중앙값 {median:g}점. "
              "읽은 곳: {source}.",
    },
    "no_ids": {
        "en": "{count} results files carry no diagnosis ids (graded by an older grader): "
              "their mistakes are not counted. Regrade them (backprop-kit grade --no-resume).",
        "ko": "결과 파일 {count}개에 진단 id가 없습니다(이전 채점기로 채점함). 그 실수는 세지 "
              "않았습니다. 다시 채점하세요(backprop-kit grade --no-resume).",
    },
    "contents": {"en": "Contents", "ko": "목차"},
    # --- scores ---------------------------------------------------------------------------
    "scores": {"en": "Scores", "ko": "점수"},
    "scores_lead": {
        "en": "How the class did on each part of the notebook, in notebook order.",
        "ko": "노트북의 각 부분을 학급이 어떻게 해냈는지, 노트북 순서대로 보여 줍니다.",
    },
    "total_histogram": {"en": "Total scores", "ko": "총점 분포"},
    "students_axis": {"en": "students", "ko": "학생 수"},
    "total_axis": {"en": "total score", "ko": "총점"},
    "part": {"en": "part", "ko": "부분"},
    "points": {"en": "points", "ko": "배점"},
    "mean": {"en": "mean", "ko": "평균"},
    "median": {"en": "median", "ko": "중앙값"},
    "full": {"en": "full marks", "ko": "만점"},
    "partial": {"en": "partial", "ko": "부분 점수"},
    "zero": {"en": "0 (attempted)", "ko": "0점(시도함)"},
    "not_written": {"en": "not written", "ko": "작성 안 함"},
    "not_run": {"en": "not run", "ko": "실행 안 됨"},
    "part_outcomes": {"en": "Outcome per part", "ko": "부분별 결과"},
    "training_part": {"en": "training on MNIST", "ko": "MNIST 학습"},
    # --- mistakes -------------------------------------------------------------------------
    "mistakes": {"en": "Mistakes, most common first", "ko": "실수: 많은 순서대로"},
    "mistakes_lead": {
        "en": "Each mistake the grader named, with the part of the notebook it is in and how "
              "many students made it. A student with several mistakes counts once for each.",
        "ko": "채점기가 찾아낸 실수마다 노트북의 어느 부분인지, 몇 명이 했는지 보여 줍니다. "
              "실수가 여러 개인 학생은 실수마다 한 번씩 셉니다.",
    },
    "no_mistakes": {"en": "No mistakes named.", "ko": "찾아낸 실수가 없습니다."},
    "rank": {"en": "#", "ko": "순위"},
    "mistake": {"en": "mistake", "ko": "실수"},
    "students": {"en": "students", "ko": "학생"},
    "share": {"en": "share", "ko": "비율"},
    "what_to_teach": {"en": "what it means", "ko": "의미"},
    "who": {"en": "who", "ko": "해당 학생"},
    "mistakes_chart": {"en": "Most common mistakes", "ko": "가장 흔한 실수"},
    "fundamental": {"en": "fundamental", "ko": "근본적"},
    # --- MNIST ----------------------------------------------------------------------------
    "mnist": {"en": "MNIST accuracy", "ko": "MNIST 정확도"},
    "mnist_lead": {
        "en": "Test accuracy of each student's network in the grader's training run "
              "(threshold {threshold:.2f}). {ran} runs; {passed} reached the threshold; "
              "{not_run} not run because TwoLayerNet.gradient failed its checks.",
        "ko": "채점기의 학습 실행에서 각 학생 신경망의 테스트 정확도(기준 {threshold:.2f}). "
              "실행 {ran}회, 기준 도달 {passed}명, TwoLayerNet.gradient가 검사를 통과하지 "
              "못해 실행하지 않음 {not_run}명.",
    },
    "accuracy_axis": {"en": "test accuracy", "ko": "테스트 정확도"},
    "threshold": {"en": "threshold", "ko": "기준"},
    "no_mnist": {"en": "No network was trained.", "ko": "학습한 신경망이 없습니다."},
    # --- students who need help -------------------------------------------------------------
    "help": {"en": "Students who need help", "ko": "도움이 필요한 학생"},
    "help_lead": {
        "en": "Lowest scores first: a total below {low:.0%} of the points, or {fundamental} "
              "or more fundamental mistakes (misconceptions about backprop itself, not "
              "Python slips).",
        "ko": "점수가 낮은 순서입니다. 총점이 배점의 {low:.0%} 미만이거나, 근본적인 실수"
              "(파이썬 실수가 아니라 역전파 자체에 대한 오해)가 {fundamental}개 이상인 "
              "학생입니다.",
    },
    "nobody_needs_help": {"en": "Nobody.", "ko": "없습니다."},
    "student": {"en": "student", "ko": "학생"},
    "total": {"en": "total", "ko": "총점"},
    "why": {"en": "why", "ko": "이유"},
    "reason_low": {"en": "low total", "ko": "낮은 총점"},
    "reason_fundamental": {"en": "{count} fundamental mistakes",
                           "ko": "근본적인 실수 {count}개"},
    "reason_untouched": {"en": "{count} parts not written", "ko": "작성하지 않은 부분 {count}개"},
    "files": {"en": "For spreadsheets", "ko": "스프레드시트용 파일"},
}


def word(key, lang, /, **fields):
    """The phrase ``key`` in ``lang`` (English if it has none there), filled in."""
    entry = WORDS[key]
    return entry.get(lang, entry[DEFAULT_LANGUAGE]).format(**fields)
