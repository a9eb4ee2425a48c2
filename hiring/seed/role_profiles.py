"""The five ML role profiles, written from the domain notes.

Each profile holds a minimum bar (1-4) for *every* competency in ``minimum_levels`` and, in
``strengths``, the competencies the role is hired for with the level an interview loop should
validate ("validate your hypotheses of their strengths while testing a minimum bar on weaker
aspects"). A strength's level is never below its minimum. ``interview_loop`` lists stage slugs
from ``hiring.seed.interview_stages`` in order; ``sourcing_categories`` are arXiv categories."""

from __future__ import annotations

from typing import Final, TypedDict


class RoleProfileRow(TypedDict):
    slug: str
    title: str
    summary: str
    delivers: str
    typical_background: str
    sourcing_categories: list[str]
    sourcing_keywords: list[str]
    interview_loop: list[str]
    minimum_levels: dict[str, int]
    strengths: dict[str, int]


ROLE_PROFILES: Final[list[RoleProfileRow]] = [
    {
        "slug": "ml-engineer",
        "title": "ML Engineer",
        "summary": (
            "Trains and deploys prediction models that run on real data in production. A rare "
            "mix of ML and software engineering: often an engineer who taught themselves ML, or "
            "a science/engineering PhD who then worked as a software engineer. Hire for strong "
            "software engineering, an interest in ML and a desire to learn; be specific about "
            "which part of the stack the opening needs, since nobody does everything from "
            "DevOps to algorithm development."
        ),
        "delivers": (
            "A prediction system running on real production data: training code, evaluation, "
            "a served model (e.g. TensorFlow or PyTorch in Docker) and the pipelines that keep "
            "it healthy and frequently updated. Owns the models it deploys."
        ),
        "typical_background": (
            "Software engineer with significant self-taught ML (courses, side projects, paper "
            "re-implementations), or a science/engineering PhD who worked as a software "
            "engineer after graduate school. Recent graduates with good ML coursework are a "
            "realistic junior pool."
        ),
        "sourcing_categories": ["cs.LG", "cs.CV", "cs.CL"],
        "sourcing_keywords": [
            "paper re-implementation",
            "model deployment",
            "model serving",
            "production machine learning",
            "PyTorch",
            "TensorFlow",
            "Docker",
            "training pipeline",
            "Kaggle",
        ],
        "interview_loop": [
            "screen",
            "take-home-review",
            "pair-debugging",
            "applied-ml-design",
            "past-project-deep-dive",
            "communication-culture",
        ],
        "minimum_levels": {
            "ml-knowledge": 2,
            "software-engineering": 3,
            "research-creativity": 2,
            "production-mlops": 2,
            "data-engineering": 2,
            "math-statistics": 2,
            "communication": 2,
            "product-sense": 2,
            "analytics-sql": 1,
        },
        "strengths": {
            "software-engineering": 4,
            "ml-knowledge": 3,
            "production-mlops": 3,
        },
    },
    {
        "slug": "ml-researcher",
        "title": "ML Researcher",
        "summary": (
            "Trains prediction models that are forward-looking or not yet production-critical, "
            "and reports what works. Ensure they think creatively about new ML problems while "
            "meeting a baseline for code quality. Judge publications by quality, not quantity: "
            "originality of the ideas and their execution, on important rather than trendy "
            "problems."
        ),
        "delivers": (
            "Models and written reports describing experiments, their performance and "
            "usefulness; new approaches the engineering team can take to production, and "
            "negative results that rule options out."
        ),
        "typical_background": (
            "MS or PhD in computer science or statistics, or an industrial research fellowship. "
            "Keep an open mind: strong people come without PhDs and from adjacent fields such "
            "as physics or statistics. Experience outside academia eases the move to industry."
        ),
        "sourcing_categories": ["cs.LG", "stat.ML", "cs.AI", "cs.CL", "cs.CV"],
        "sourcing_keywords": [
            "first author",
            "NeurIPS",
            "ICML",
            "ICLR",
            "representation learning",
            "generalization",
            "ablation",
            "open-source implementation",
        ],
        "interview_loop": [
            "screen",
            "past-project-deep-dive",
            "theory",
            "math",
            "pair-debugging",
            "communication-culture",
        ],
        "minimum_levels": {
            "ml-knowledge": 3,
            "software-engineering": 2,
            "research-creativity": 3,
            "production-mlops": 1,
            "data-engineering": 1,
            "math-statistics": 3,
            "communication": 2,
            "product-sense": 1,
            "analytics-sql": 1,
        },
        "strengths": {
            "research-creativity": 4,
            "ml-knowledge": 4,
            "math-statistics": 3,
        },
    },
    {
        "slug": "mlops-engineer",
        "title": "MLOps / ML Platform Engineer",
        "summary": (
            "Builds the infrastructure that makes models easier and more scalable to deploy, "
            "and runs the ML infrastructure behind the deployed product. Primarily a software "
            "engineering role: the platform engineer who automates the tedious parts of task "
            "ML engineers' jobs."
        ),
        "delivers": (
            "Training pipelines, model registry and serving, feature stores, monitoring for "
            "drift and prediction quality, rollbacks; shorter time from experiment to "
            "production for every model, on platforms such as AWS, GCP and Kafka."
        ),
        "typical_background": (
            "The standard software engineering pipeline: backend, DevOps or site-reliability "
            "engineers who have run ML workloads. Deep ML knowledge is not required; a working "
            "understanding of how models are trained and fail is."
        ),
        "sourcing_categories": ["cs.DC", "cs.SE", "cs.LG"],
        "sourcing_keywords": [
            "MLOps",
            "model serving",
            "feature store",
            "Kubernetes",
            "Kafka",
            "model monitoring",
            "data drift",
            "CI/CD",
            "distributed training",
        ],
        "interview_loop": [
            "screen",
            "pair-debugging",
            "applied-ml-design",
            "past-project-deep-dive",
            "communication-culture",
        ],
        "minimum_levels": {
            "ml-knowledge": 2,
            "software-engineering": 3,
            "research-creativity": 1,
            "production-mlops": 3,
            "data-engineering": 2,
            "math-statistics": 1,
            "communication": 2,
            "product-sense": 1,
            "analytics-sql": 1,
        },
        "strengths": {
            "production-mlops": 4,
            "software-engineering": 4,
        },
    },
    {
        "slug": "ml-product-manager",
        "title": "ML Product Manager",
        "summary": (
            "Works with the ML team, other business functions, end users and data owners to "
            "decide which ML projects to do and in what order. Like a traditional product "
            "manager, with a deep knowledge of the ML development process and mindset: plans "
            "probabilistically, bridges user expectations and what models can do, and educates "
            "the organisation about ML."
        ),
        "delivers": (
            "Design docs, wireframes and a prioritised plan for ML projects; product designs "
            "that handle model failure and collect feedback; realistic updates to leadership "
            "that state impact and risk."
        ),
        "typical_background": (
            "Product manager with demonstrated interest in ML and conversational understanding "
            "of it, or an ML practitioner who moved into product; task PMs know one product "
            "area deeply, platform PMs run a central ML team's priorities."
        ),
        "sourcing_categories": ["cs.HC"],
        "sourcing_keywords": [
            "product manager",
            "machine learning product",
            "human-AI interaction",
            "experimentation",
            "roadmap",
            "user feedback",
        ],
        "interview_loop": [
            "screen",
            "applied-ml-design",
            "past-project-deep-dive",
            "communication-culture",
        ],
        "minimum_levels": {
            "ml-knowledge": 2,
            "software-engineering": 1,
            "research-creativity": 1,
            "production-mlops": 1,
            "data-engineering": 1,
            "math-statistics": 2,
            "communication": 3,
            "product-sense": 3,
            "analytics-sql": 2,
        },
        "strengths": {
            "product-sense": 4,
            "communication": 4,
        },
    },
    {
        "slug": "data-scientist",
        "title": "Data Scientist",
        "summary": (
            "A blanket title: in some organisations it covers all the roles above, in others "
            "it means answering business questions with analytics. This profile is the "
            "analytics one; do not treat it as interchangeable with ML engineer, and write in "
            "the opening which kind is meant."
        ),
        "delivers": (
            "Answers to business questions: analyses, metric definitions, dashboards, A/B test "
            "readouts and, where it pays, simple predictive models, with tools from SQL and "
            "Excel to pandas and scikit-learn."
        ),
        "typical_background": (
            "A wide range, from undergraduates to PhDs: statistics, economics, physics or other "
            "quantitative fields, or analysts who grew into modelling."
        ),
        "sourcing_categories": ["stat.ML", "stat.AP", "stat.ME"],
        "sourcing_keywords": [
            "SQL",
            "A/B testing",
            "causal inference",
            "analytics",
            "pandas",
            "scikit-learn",
            "dashboard",
        ],
        "interview_loop": [
            "screen",
            "take-home-review",
            "math",
            "applied-ml-design",
            "communication-culture",
        ],
        "minimum_levels": {
            "ml-knowledge": 2,
            "software-engineering": 2,
            "research-creativity": 1,
            "production-mlops": 1,
            "data-engineering": 2,
            "math-statistics": 3,
            "communication": 3,
            "product-sense": 2,
            "analytics-sql": 3,
        },
        "strengths": {
            "analytics-sql": 4,
            "math-statistics": 4,
        },
    },
]

ROLE_PROFILE_SLUGS: Final[tuple[str, ...]] = tuple(row["slug"] for row in ROLE_PROFILES)
