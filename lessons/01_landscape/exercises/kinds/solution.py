"""Kinds of machine learning systems: a dozen short scenarios, labelled."""

# The three questions, and the words allowed as answers (lower case, as written here).
#   "supervision":    how the system is told what is right while it learns
#   "updates":        does it learn from the whole data set at once, or bit by bit as data comes?
#   "generalization": does it predict by comparing with stored examples, or with a fitted model?
ALLOWED = {
    "supervision": ("supervised", "unsupervised", "semi-supervised", "self-supervised",
                    "reinforcement"),
    "updates": ("batch", "online"),
    "generalization": ("instance-based", "model-based"),
}

SCENARIOS = {
    "spam_nightly": "A mail service trains a spam classifier on millions of emails that its "
                    "users marked as spam or not spam. Every night it retrains from scratch on "
                    "the whole archive and swaps the new model in for the old one.",
    "house_line": "An estate agency fits a straight line from floor area to sale price on "
                  "last year's 5,000 sales, keeps the slope and the intercept, and throws the "
                  "table of sales away.",
    "customer_groups": "A shop splits its customers into groups by what they buy. Nobody told "
                       "it which groups exist, or how many.",
    "odd_payments": "A bank flags card payments that look unlike the millions of ordinary "
                    "payments it has seen. It was never shown a payment marked as fraud.",
    "robot_walk": "A simulated robot tries movements, gains points for the distance it covers "
                  "and loses points when it falls over, and changes its behaviour to collect "
                  "more points.",
    "masked_words": "A language model is pretrained on a huge pile of unlabelled web text: one "
                    "word in every sentence is hidden, and the model learns to guess it.",
    "photo_names": "A photo app groups the faces in your library by person. You type a name "
                   "for one photo of each person, and it names all the others.",
    "price_ticks": "A trading system nudges its price model a little after every trade, so "
                   "that it keeps up with a market that changes by the minute.",
    "offline_log": "A click-prediction model is trained on a 5 TB log, on a machine with no "
                   "network at all. The log does not fit in memory, so the program reads it "
                   "100 MB at a time and updates the model after each chunk.",
    "film_neighbours": "To guess how much a new user will like a film, a site finds the 10 "
                       "users whose past ratings look most like theirs and averages what they "
                       "gave that film. Nothing is fitted in advance; every rating is kept.",
    "xray_frozen": "A model is trained once on a fixed set of X-rays that radiologists "
                   "labelled, then frozen and shipped inside a scanner. It never changes again.",
    "spam_lookalike": "A filter compares each new email with every email users have reported "
                      "as spam, counts the words they share, and flags the new one when it is "
                      "close enough to any of them.",
}

ANSWERS = {
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


if __name__ == "__main__":
    import textwrap

    filled = 0
    total = 0
    for key, text in SCENARIOS.items():
        print(f"[{key}]")
        print(textwrap.indent(textwrap.fill(text, 88), "    "))
        for question, answer in ANSWERS.get(key, {}).items():
            total += 1
            filled += answer is not None
            print(f"    {question:>15}: {answer if answer is not None else '?'}")
        print()
    print(f"{filled} of {total} answers filled in. Press Check to grade them.")
