"""Check the labels of the scenarios.

The right labels live here, not in the learner's file. Every wrong answer is listed with a
question that points at the clue in the scenario's text, never with the label itself.
Answers are compared after light normalisation (case, spaces, underscores, a trailing
" learning"), so "Semi supervised" and "online learning" are accepted. No thresholds.
"""

from homl_tui.checks import NotAttempted, fail

ALLOWED = {
    "supervision": ("supervised", "unsupervised", "semi-supervised", "self-supervised",
                    "reinforcement"),
    "updates": ("batch", "online"),
    "generalization": ("instance-based", "model-based"),
}

TRUTH = {
    "spam_nightly": {"supervision": "supervised", "updates": "batch"},
    "house_line": {"supervision": "supervised", "generalization": "model-based"},
    "customer_groups": {"supervision": "unsupervised"},
    "odd_payments": {"supervision": "unsupervised"},
    "robot_walk": {"supervision": "reinforcement"},
    "masked_words": {"supervision": "self-supervised"},
    "photo_names": {"supervision": "semi-supervised"},
    "price_ticks": {"updates": "online"},
    "offline_log": {"updates": "online"},
    "film_neighbours": {"generalization": "instance-based"},
    "xray_frozen": {"supervision": "supervised", "updates": "batch"},
    "spam_lookalike": {"generalization": "instance-based"},
}

WHY = {
    ("spam_nightly", "supervision"):
        "What do the users add to each email before training starts?",
    ("spam_nightly", "updates"):
        "When the model changes, is it nudged by the newest emails, or rebuilt from all of them?",
    ("house_line", "supervision"):
        "Each sale in the table comes with its price: what role does that price play?",
    ("house_line", "generalization"):
        "After training the sales table is thrown away. What is left to predict with?",
    ("customer_groups", "supervision"):
        "Is there any right answer attached to a customer in the training data?",
    ("odd_payments", "supervision"):
        "No payment was ever marked as fraud. What does the system learn from, then?",
    ("robot_walk", "supervision"):
        "Nobody shows the robot the right movement; what does it get instead, and when?",
    ("masked_words", "supervision"):
        "There are no human labels here, yet every training example still comes with a right "
        "answer to predict. Where does that answer come from?",
    ("photo_names", "supervision"):
        "How many of the photos carry a name given by a person: all, none, or a few?",
    ("price_ticks", "updates"):
        "Does the model wait for the whole data set, or change after each new piece of data?",
    ("offline_log", "updates"):
        "'Online' learning is about how the data reaches the model (a piece at a time, with an "
        "update after each piece), not about being connected to a network. How does this "
        "program feed the log to the model?",
    ("film_neighbours", "generalization"):
        "Ask what the system keeps to make a prediction: a few fitted numbers, or the examples "
        "themselves?",
    ("xray_frozen", "supervision"):
        "Who wrote something on each X-ray before training, and what was it?",
    ("xray_frozen", "updates"):
        "Does this model ever learn from a new X-ray after it is shipped?",
    ("spam_lookalike", "generalization"):
        "To judge a new email, does the filter use a fitted formula, or does it look back at "
        "the stored emails?",
}


def _norm(value):
    text = str(value).strip().lower().replace("_", "-").replace(" ", "-")
    if text.endswith("-learning"):
        text = text[: -len("-learning")]
    return {"semisupervised": "semi-supervised", "selfsupervised": "self-supervised",
            "instance": "instance-based", "model": "model-based"}.get(text, text)


def check(learner, ctx):
    answers = getattr(learner, "ANSWERS", None)
    if not isinstance(answers, dict):
        fail("Keep the dict `ANSWERS` (scenario -> {question: label}) in your file.")
    total = sum(len(q) for q in TRUTH.values())
    blanks, unknown, wrong, missing = [], [], [], []
    for key, questions in TRUTH.items():
        given = answers.get(key)
        if not isinstance(given, dict):
            missing.append(key)
            continue
        for question in questions:
            value = given.get(question)
            if value is None:
                blanks.append(f"{key} ({question})")
            elif _norm(value) not in ALLOWED[question]:
                unknown.append(f"{key} ({question}): {value!r} is not one of "
                               f"{', '.join(ALLOWED[question])}")
            elif _norm(value) != questions[question]:
                wrong.append(f"- {key} ({question}): {WHY[key, question]}")
    if missing:
        fail(f"ANSWERS has no dict for: {', '.join(missing)}. Keep one entry per scenario, "
             "as in the starter.")
    if len(blanks) == total:
        raise NotAttempted("Every answer is still None: replace them with labels.")
    if blanks:
        fail(f"{len(blanks)} answer(s) are still None: {', '.join(blanks)}.")
    if unknown:
        fail("Some answers are not one of the allowed words:\n- " + "\n- ".join(unknown))
    if wrong:
        fail(f"{total - len(wrong)} of {total} answers are right. Think again about:\n"
             + "\n".join(wrong))
