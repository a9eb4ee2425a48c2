"""The question bank: per stage, questions with the competency they rate and what a 1, 2, 3 and 4
answer looks like. A kit gets the questions of its stage whose competency is one of its focus
competencies, in this order."""

from __future__ import annotations

from typing import Final, TypedDict


class QuestionRow(TypedDict):
    competency: str
    prompt: str
    level_1: str
    level_2: str
    level_3: str
    level_4: str


def q(competency: str, prompt: str, l1: str, l2: str, l3: str, l4: str) -> QuestionRow:
    return {
        "competency": competency,
        "prompt": prompt,
        "level_1": l1,
        "level_2": l2,
        "level_3": l3,
        "level_4": l4,
    }


QUESTIONS: Final[dict[str, list[QuestionRow]]] = {
    "screen": [
        q(
            "communication",
            "Tell me about the piece of work you are proudest of, in three minutes.",
            "Lists tools and tasks; no problem, no outcome; runs far over time.",
            "Clear problem and outcome, but the listener has to ask what their own part was.",
            "Problem, their contribution, result and a number, within time; adapts when asked "
            "to zoom in.",
            "A crisp story a non-specialist could retell, with the trade-off they made and why; "
            "anticipates the follow-up question.",
        ),
        q(
            "ml-knowledge",
            "Your validation score is much better than the score after launch. What are the "
            "first three things you check?",
            "Suggests retraining or a bigger model; no diagnosis.",
            "Names leakage or distribution shift in general terms.",
            "Concrete checks in order: split by time/entity, leaking features, label "
            "definition, traffic shift, with how to detect each.",
            "Also asks how the online metric is computed and whether the feedback loop changed "
            "the data; proposes a guardrail so it is caught next time.",
        ),
        q(
            "product-sense",
            "Pick a product you use that has ML in it. What would you improve, and how would "
            "you know it worked?",
            "A feature wish with no user or metric.",
            "A plausible improvement and a generic metric (accuracy, engagement).",
            "Names the user problem, the metric that reflects it and a way to test (A/B, "
            "holdout); mentions a failure mode.",
            "Weighs the improvement against cost and risk, designs the fallback when the model "
            "is wrong and the feedback the product would collect.",
        ),
        q(
            "research-creativity",
            "Which recent paper changed how you think about a problem, and what would you try "
            "next in that direction?",
            "Names a famous paper; cannot say what is new in it.",
            "Summarises the contribution correctly; next step is 'scale it up'.",
            "Explains why it works, a limitation, and a concrete experiment that would test an "
            "extension.",
            "Proposes an original, testable idea with the ablation that would refute it; knows "
            "related work that tried and failed.",
        ),
        q(
            "production-mlops",
            "Describe how a model you worked on gets from a training run to serving traffic.",
            "Copies a file to a server; no versioning or rollback.",
            "A pipeline with a registry or CI step; monitoring is 'we look at dashboards'.",
            "Versioned artefacts, automated checks before promotion, canary or shadow rollout, "
            "monitoring of inputs and outputs, rollback.",
            "Designed or rebuilt such a path; knows its failure modes and costs; can say what "
            "they would automate next and why.",
        ),
        q(
            "analytics-sql",
            "A metric dropped 8% last week. Walk me through how you would find out why.",
            "Jumps to a cause without checking the data.",
            "Segments by obvious dimensions; does not check the metric's pipeline.",
            "Checks logging and pipeline first, then segments (platform, country, cohort), "
            "compares with seasonality, and states how confident they are.",
            "A systematic decomposition (mix vs rate), a query plan they could write now, and "
            "a clear write-up for the business owner.",
        ),
    ],
    "take-home-review": [
        q(
            "software-engineering",
            "Walk me through how your code is organised. What would you change before another "
            "engineer extends it?",
            "One script or notebook; cannot say how to run it again.",
            "Functions and a README; some tests or a plan for them.",
            "Clear modules, configuration separate from code, tests for data transforms and "
            "metrics; names the debt they left and why.",
            "Code a team could extend tomorrow; reproducible runs; a sharp list of the next "
            "refactorings with costs.",
        ),
        q(
            "ml-knowledge",
            "Why this model and this evaluation? What would make you change either?",
            "Used what they knew; evaluation on training data or a single random split.",
            "Sensible baseline and a correct held-out split; limited error analysis.",
            "Baseline first, correct split for the data's structure, error analysis by slice, "
            "and a reasoned next step.",
            "Quantifies uncertainty in the comparison, anticipates how the result would fail in "
            "production, and designs the experiment to decide.",
        ),
        q(
            "data-engineering",
            "The data doubles every month. What in your solution breaks first?",
            "Does not know; everything is in memory.",
            "Spots the obvious memory limit; suggests 'use Spark'.",
            "Identifies the bottleneck, proposes chunked or incremental processing and data "
            "validation at the boundaries.",
            "Designs the pipeline with schemas, backfills, idempotent reruns and cost estimates.",
        ),
        q(
            "analytics-sql",
            "Show me the query or transformation behind your main number. How do you know it "
            "is right?",
            "Cannot reconstruct how the number was computed.",
            "Explains the query; checked it by eyeballing a few rows.",
            "Checks joins for duplication, nulls and filters; reconciles the total with an "
            "independent count.",
            "Writes it so others can verify (tests, assertions, documented definitions); "
            "catches a subtle issue in their own work during the review.",
        ),
        q(
            "communication",
            "Explain your result to the product owner who asked the question.",
            "Reads out numbers; no answer to the question.",
            "Answers the question but buries it in method.",
            "Leads with the answer, the confidence and what to do next.",
            "Also frames what the data cannot tell and which decision would change with more "
            "evidence.",
        ),
    ],
    "pair-debugging": [
        q(
            "software-engineering",
            "(Pair-debugging task) How does the candidate go about finding the bug?",
            "Edits at random or rewrites the program; does not run it.",
            "Runs it, reads it top to bottom, prints values; finds the bug with hints.",
            "Forms hypotheses from the symptom, checks shapes and invariants, isolates the "
            "faulty step; finds most bugs with at most one hint.",
            "Finds every bug quickly and explains how to prevent the class of bug (tests, "
            "assertions, structure).",
        ),
        q(
            "ml-knowledge",
            "(Pair-debugging task) Can the candidate explain why the bug produced the symptom?",
            "Fixes the line but cannot say why it mattered.",
            "Explains the mechanism once shown.",
            "Predicts the symptom from the bug (e.g. leakage inflates validation; sum vs mean "
            "scales the gradient) before running the fix.",
            "Connects it to how the same bug shows up in real training code and how to detect it "
            "in a large codebase.",
        ),
    ],
    "applied-ml-design": [
        q(
            "ml-knowledge",
            "What is your first model, and what evidence would make you try something more "
            "complex?",
            "Starts with the most complex model they know.",
            "A reasonable baseline; 'then deep learning' without criteria.",
            "A strong simple baseline, the error analysis that would justify complexity, and "
            "the offline metric that matches the product goal.",
            "A portfolio of approaches with rough odds of success and cost, planned to fail fast.",
        ),
        q(
            "production-mlops",
            "How will this run in production, and how will you know when it stops working?",
            "Not considered.",
            "Batch or online chosen; monitoring of uptime only.",
            "Serving choice justified by latency and cost; monitoring of input drift, output "
            "distribution and delayed labels; retraining trigger.",
            "Designs rollout, rollback and ownership; plans for feedback loops and for the "
            "model silently degrading.",
        ),
        q(
            "data-engineering",
            "Where do the training data and labels come from, and what can go wrong with them?",
            "Assumes a clean labelled table exists.",
            "Names sources; mentions label noise.",
            "Label definition and delay, leakage via time, sampling bias, a pipeline with "
            "validation.",
            "Designs label collection (including user feedback and corrections) and data "
            "contracts with owners.",
        ),
        q(
            "product-sense",
            "What does the user see when the model is wrong? What do you measure to decide the "
            "launch?",
            "The model is assumed right.",
            "Mentions a confidence threshold.",
            "Designs fallbacks and guardrails, picks a product metric and a guardrail metric, "
            "plans an experiment.",
            "Sets user expectations, designs feedback collection as free labels, and weighs "
            "automation against human review with costs.",
        ),
        q(
            "math-statistics",
            "How many users or examples do you need to be confident the new model is better?",
            "No idea how to size it.",
            "Knows a test is needed; cannot size it.",
            "Sets up the hypothesis test, estimates sample size from effect and variance.",
            "Discusses multiple metrics, sequential peeking, variance reduction and what to do "
            "when the effect is small.",
        ),
        q(
            "software-engineering",
            "Draw the components and their interfaces. What would you build first?",
            "One box labelled 'model'.",
            "Reasonable components; interfaces vague.",
            "Clear interfaces, an end-to-end thin slice first, testing strategy.",
            "Trade-offs between build and buy, failure isolation, and a plan to keep technical "
            "debt in check.",
        ),
    ],
    "math": [
        q(
            "math-statistics",
            "A is a 1000x50 matrix of features. What do the singular values tell you, and how "
            "would you detect two nearly collinear features?",
            "Cannot connect SVD to the data.",
            "Knows small singular values mean near-dependence.",
            "Relates the condition number to unstable least-squares weights; proposes checking "
            "small singular values or the correlation matrix; suggests ridge.",
            "Derives the effect on the variance of the estimates and chooses between ridge, PCA "
            "and dropping features with reasons.",
        ),
        q(
            "math-statistics",
            "A test for a condition with 1% prevalence has 95% sensitivity and 95% "
            "specificity. A person tests positive: how likely is it they have it?",
            "Answers 95%.",
            "Sets up Bayes' rule with help.",
            "Computes about 16% unaided and explains the base-rate effect.",
            "Also explains the consequence for thresholds on imbalanced classifiers and how to "
            "report precision at a given prevalence.",
        ),
        q(
            "math-statistics",
            "You flip a coin 100 times and get 60 heads. Is the coin biased?",
            "Yes, because 60 is not 50.",
            "Knows a test applies; unsure which.",
            "Computes the standard error (5), a z of 2, a p-value near 0.05; discusses "
            "significance level.",
            "Discusses the prior, the stopping rule and what decision the answer informs.",
        ),
    ],
    "past-project-deep-dive": [
        q(
            "production-mlops",
            "How was the system operated after launch? What broke?",
            "Did not follow it after launch.",
            "Knows it ran; little about incidents.",
            "Describes monitoring, an incident, its root cause and the fix.",
            "Changed how the team operates models because of it (alerts, runbooks, automation).",
        ),
        q(
            "research-creativity",
            "What was the idea in this project nobody had tried before, and how did you test it?",
            "Followed a recipe.",
            "Adapted an existing method sensibly.",
            "An original twist, tested with a clean experiment that could have refuted it.",
            "A new direction that others built on, with the ablations that justified it.",
        ),
        q(
            "math-statistics",
            "How did you know the improvement was real and not noise?",
            "Compared two numbers.",
            "Repeated runs or a holdout.",
            "Confidence intervals or significance with several seeds; controlled for leakage.",
            "A careful experimental design and honest reporting of effect size and uncertainty.",
        ),
        q(
            "communication",
            "Who had to be convinced, and how did you do it?",
            "Nobody; or 'the results spoke for themselves'.",
            "Presented results to the team.",
            "Adapted the message to stakeholders; handled disagreement with evidence.",
            "Changed a decision at leadership level by framing impact and uncertainty well.",
        ),
        q(
            "ml-knowledge",
            "Which alternative approaches did you consider and why did you reject them?",
            "None considered.",
            "Names alternatives; reasons are vague.",
            "Clear trade-offs backed by experiments or literature.",
            "Deep understanding of why the chosen method works here and where it would fail.",
        ),
        q(
            "software-engineering",
            "Show me how the code of this project was structured and tested.",
            "No structure or tests; only they could run it.",
            "Reasonable structure; few tests.",
            "Tested, reviewed, reproducible; others contributed easily.",
            "Set the standard that the team adopted.",
        ),
        q(
            "product-sense",
            "What changed for users or the business because of this project?",
            "Does not know.",
            "A model metric improved.",
            "A product metric moved, with how it was measured.",
            "Explains why it mattered for the strategy and what they would do next.",
        ),
        q(
            "analytics-sql",
            "How did you measure the outcome? Walk me through the data.",
            "Someone else measured it.",
            "Used an existing dashboard.",
            "Defined the metric, wrote the queries, checked them against another source.",
            "Designed the measurement and fixed a flaw in the existing one.",
        ),
    ],
    "theory": [
        q(
            "ml-knowledge",
            "Explain the bias-variance trade-off and how it shows up with a large neural "
            "network that fits its training set perfectly.",
            "Recites the definition only.",
            "Explains under- and over-fitting with learning curves.",
            "Discusses regularisation, data size and double descent with nuance.",
            "Connects to implicit regularisation of the optimiser and what the evidence shows.",
        ),
        q(
            "math-statistics",
            "Why does stochastic gradient descent converge at all, and what does the learning "
            "rate schedule do?",
            "Cannot say.",
            "Intuition about noisy steps and smaller steps later.",
            "Step-size conditions, the noise-curvature trade-off, warm-up and decay.",
            "Relates batch size, learning rate and generalisation with references.",
        ),
    ],
    "communication-culture": [
        q(
            "communication",
            "Explain a technical result of yours to me as if I led product and had no ML "
            "background.",
            "Jargon; the point is lost.",
            "Understandable, but the 'so what' is missing.",
            "Clear, accurate, with the impact and the uncertainty.",
            "Memorable and honest about limits; checks understanding.",
        ),
        q(
            "communication",
            "Tell me about a disagreement between research and engineering you were part of.",
            "Blames the other side.",
            "Resolved it by escalation or compromise without learning.",
            "Understood the other side's constraints and found a shared plan.",
            "Changed how the teams work together afterwards.",
        ),
        q(
            "product-sense",
            "A project of yours stalled for weeks. How did you communicate it and what did you "
            "change?",
            "Kept it quiet.",
            "Reported the delay.",
            "Re-planned with probabilities, shared risks early, proposed alternatives.",
            "Managed expectations so leadership kept trust; the portfolio of approaches saved "
            "the project.",
        ),
    ],
}
