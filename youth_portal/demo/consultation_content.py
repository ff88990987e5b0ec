"""What the demo consultations say: titles, questions, outcomes and commitments in each city's languages, and how
the synthetic respondents tend to answer (weights), so that results and breakdowns look like real ones.

Read by `demo.consultations`, which writes them to the database; nothing here touches the database.
"""

from dataclasses import dataclass, field

from ..consultations.models import Audience, CommitmentStatus, QuestionKind, ResponseMode, Stage, Topic, Translated

#: Districts given to the cities that ask for one (only when the city has none yet).
DISTRICTS = {
    "murcia": {
        "Centro": 22,
        "El Carmen": 16,
        "Santa Eulalia": 9,
        "Vistalegre": 12,
        "La Flota": 10,
        "Espinardo": 11,
        "El Palmar": 9,
        "Puente Tocinos": 6,
        "Cabezo de Torres": 3,
        "Beniaján": 2,
    },
    "beirut": {
        "Achrafieh": 20,
        "Ras Beirut": 18,
        "Mazraa": 16,
        "Msaytbeh": 10,
        "Bachoura": 9,
        "Rmeil": 8,
        "Medawar": 8,
        "Zuqaq al-Blat": 6,
        "Saifi": 3,
        "Dar el-Mreisseh": 2,
    },
}

#: Share of the synthetic respondents living in each city.
RESPONDENTS_BY_CITY = {
    "murcia": 0.20,
    "beirut": 0.22,
    "montreal": 0.13,
    "lyon": 0.10,
    "nairobi": 0.14,
    "mombasa": 0.08,
    "medellin": 0.08,
    "dhaka": 0.05,
}

#: Languages respondents of each city use, with weights (any other city: its languages, the first most).
LANGUAGES_BY_CITY = {
    "murcia": {"es": 9, "en": 1},
    "beirut": {"ar": 11, "fr": 5, "en": 4},
    "montreal": {"fr": 7, "en": 3},
    "medellin": {"es": 9, "en": 1},
}

#: Age (13 to 30) of the respondents, by band: fewer of the youngest, as on real platforms.
AGE_WEIGHTS = {13: 3, 14: 4, 15: 5, 16: 6, 17: 7, **dict.fromkeys(range(18, 25), 7), **dict.fromkeys(range(25, 31), 4)}

#: Gender as respondents state it when asked (None: they skip the optional question).
GENDER_WEIGHTS = {"woman": 45, "man": 41, "non-binary": 4, "self-described": 1.5, "prefer-not-to-say": 3.5, None: 5}


@dataclass(frozen=True)
class Choice:
    """An option of a choice or ranking question, and how often respondents pick it."""

    id: str
    label: Translated
    weight: float


def choice(option_id: str, weight: float, **label: str) -> Choice:
    return Choice(option_id, label, weight)


@dataclass(frozen=True)
class DemoQuestion:
    kind: QuestionKind
    prompt: Translated
    choices: tuple[Choice, ...] = ()
    required: bool = False
    allow_other: bool = False
    max_choices: int | None = None
    scale: tuple[int, int] | None = None
    #: Rating: the weight of each value from the lowest to the highest.
    scale_weights: tuple[float, ...] = ()
    low_label: Translated = field(default_factory=dict)
    high_label: Translated = field(default_factory=dict)
    max_length: int | None = None
    #: Free texts respondents write, by language (text questions, and the text of "other").
    texts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Share of respondents who answer (optional questions are skipped by some).
    answer_rate: float = 1.0
    #: Weights by option id that replace the usual ones for people of a gender (breakdowns then differ).
    weights_by_gender: dict[str, dict[str, float]] = field(default_factory=dict)


def single(prompt: Translated, *choices: Choice, other: dict | None = None, rate: float = 0.97) -> DemoQuestion:
    return DemoQuestion(
        QuestionKind.SINGLE_CHOICE,
        prompt,
        choices,
        required=True,
        allow_other=other is not None,
        texts=other or {},
        answer_rate=rate,
    )


def multiple(
    prompt: Translated, *choices: Choice, at_most: int, other: dict | None = None, rate: float = 0.93
) -> DemoQuestion:
    return DemoQuestion(
        QuestionKind.MULTIPLE_CHOICE,
        prompt,
        choices,
        allow_other=other is not None,
        max_choices=at_most,
        texts=other or {},
        answer_rate=rate,
    )


def yes_no(prompt: Translated, yes: float, *, by_gender: dict[str, float] | None = None) -> DemoQuestion:
    """A required yes/no question; `by_gender` gives the share of "yes" for some genders."""
    return DemoQuestion(
        QuestionKind.YES_NO,
        prompt,
        (choice("yes", yes), choice("no", 100 - yes)),
        required=True,
        weights_by_gender={gender: {"yes": share, "no": 100 - share} for gender, share in (by_gender or {}).items()},
    )


def rating(
    prompt: Translated,
    weights: tuple[float, ...],
    *,
    low: Translated,
    high: Translated,
    scale: tuple[int, int] = (1, 5),
) -> DemoQuestion:
    return DemoQuestion(
        QuestionKind.RATING, prompt, scale=scale, scale_weights=weights, low_label=low, high_label=high, answer_rate=0.9
    )


def ranking(prompt: Translated, *choices: Choice, places: int) -> DemoQuestion:
    return DemoQuestion(QuestionKind.RANKING, prompt, choices, max_choices=places, answer_rate=0.85)


def short_text(
    prompt: Translated, texts: dict[str, tuple[str, ...]], *, rate: float = 0.5, max_length: int = 60
) -> DemoQuestion:
    return DemoQuestion(QuestionKind.SHORT_TEXT, prompt, texts=texts, answer_rate=rate, max_length=max_length)


def long_text(
    prompt: Translated, texts: dict[str, tuple[str, ...]], *, rate: float = 0.3, max_length: int = 1000
) -> DemoQuestion:
    return DemoQuestion(QuestionKind.LONG_TEXT, prompt, texts=texts, answer_rate=rate, max_length=max_length)


@dataclass(frozen=True)
class DemoCommitment:
    text: Translated
    status: CommitmentStatus
    #: Due date, in days from the day the demo is loaded (negative: in the past).
    due_in_days: int
    reason: Translated = field(default_factory=dict)


@dataclass(frozen=True)
class DemoConsultation:
    city: str
    stage: Stage
    topic: Topic
    title: Translated
    summary: Translated
    body: Translated
    questions: tuple[DemoQuestion, ...]
    #: Share of the eligible respondents of the city who answer.
    participation: float = 0.0
    #: Network audience: share of the eligible respondents of the other cities who answer.
    network_participation: float = 0.0
    audience: Audience = Audience.RESIDENTS
    mode: ResponseMode = ResponseMode.ANONYMOUS
    ask_gender: bool = False
    ask_district: bool = False
    min_age: int | None = None
    max_age: int | None = None
    outcome: Translated = field(default_factory=dict)
    commitments: tuple[DemoCommitment, ...] = ()


# Murcia (es, en) ------------------------------------------------------------------------------------------------

LIGHTING = choice("lighting", 8, es="Más y mejor iluminación", en="Better lighting")

SAFER_PARKS = DemoConsultation(
    city="murcia",
    stage=Stage.OPEN,
    topic=Topic.SAFETY,
    ask_gender=True,
    ask_district=True,
    participation=0.9,
    title={"es": "Parques más seguros de noche", "en": "Safer parks at night"},
    summary={
        "es": "¿Qué te haría sentir más seguro o segura en los parques de Murcia cuando anochece?",
        "en": "What would make you feel safer in Murcia's parks after dark?",
    },
    body={
        "es": "En 2027 el Ayuntamiento renovará la iluminación y los horarios de cinco parques. Antes de decidir, "
        "queremos saber **cómo usas los parques por la noche** y qué cambiarías.\n\n"
        "Responder lleva unos cinco minutos. Leeremos todas las respuestas y publicaremos lo que decidamos.",
        "en": "In 2027 the city will renew the lighting and opening hours of five parks. Before deciding, we want to "
        "know **how you use parks at night** and what you would change.\n\n"
        "It takes about five minutes. We will read every answer and publish what we decide.",
    },
    questions=(
        single(
            {
                "es": "¿Con qué frecuencia vas a un parque después de las 21:00?",
                "en": "How often do you go to a park after 9 pm?",
            },
            choice("weekly", 3, es="Cada semana", en="Every week"),
            choice("monthly", 4, es="Alguna vez al mes", en="A few times a month"),
            choice("rarely", 4, es="Casi nunca", en="Hardly ever"),
            choice("never", 2, es="Nunca", en="Never"),
        ),
        yes_no(
            {
                "es": "¿Te sientes seguro o segura en tu parque más cercano por la noche?",
                "en": "Do you feel safe in your nearest park at night?",
            },
            45,
            by_gender={"woman": 28, "man": 62, "non-binary": 20},
        ),
        multiple(
            {
                "es": "¿Qué te ayudaría a sentirte más seguro o segura? (hasta 3)",
                "en": "What would help you feel safer? (up to 3)",
            },
            LIGHTING,
            choice(
                "people", 6, es="Más gente y actividades por la tarde", en="More people and activities in the evening"
            ),
            choice("youth-workers", 4, es="Educadores de calle", en="Youth workers on site"),
            choice("toilets", 3, es="Aseos abiertos por la noche", en="Toilets open at night"),
            choice("transport", 4, es="Transporte público cerca", en="Public transport nearby"),
            at_most=3,
            other={"es": ("Fuentes de agua", "Cámaras en la entrada"), "en": ("Water fountains",)},
        ),
        rating(
            {"es": "¿Cómo valoras la iluminación actual?", "en": "How would you rate the lighting today?"},
            (25, 35, 25, 10, 5),
            low={"es": "Muy mala", "en": "Very poor"},
            high={"es": "Muy buena", "en": "Very good"},
        ),
        ranking(
            {
                "es": "Ordena estas mejoras, de la más urgente a la menos",
                "en": "Put these improvements in order, most urgent first",
            },
            LIGHTING,
            choice("benches", 4, es="Bancos y sombra", en="Benches and shade"),
            choice("courts", 5, es="Pistas deportivas abiertas hasta tarde", en="Sports courts open late"),
            choice("wifi", 2, es="Wifi gratuito", en="Free wifi"),
            places=3,
        ),
        long_text(
            {"es": "¿Algo más que debamos saber?", "en": "Anything else we should know?"},
            {
                "es": (
                    "En el jardín de la Fica las farolas llevan meses fundidas.",
                    "Me gustaría que las pistas de baloncesto tuvieran luz hasta las 23:00.",
                    "Por la noche solo me siento segura si voy con amigas.",
                    "Faltan bancos donde sentarse a hablar sin tener que pagar en un bar.",
                    "Que el autobús pase más tarde cerca de los parques grandes.",
                    "El parque de mi barrio está bien; el problema es el camino de vuelta a casa.",
                    "Más actividades los viernes: cine de verano, música, deporte.",
                ),
                "en": (
                    "The path through the park is completely dark after 10 pm.",
                    "Please keep the sports courts lit until 11.",
                    "I only go at night when I'm with friends.",
                ),
            },
        ),
    ),
)

YOUTH_CENTRE_HOURS = DemoConsultation(
    city="murcia",
    stage=Stage.OUTCOME_PUBLISHED,
    topic=Topic.CULTURE_SPORT,
    ask_gender=True,
    ask_district=True,
    participation=0.85,
    title={"es": "Horario de los centros juveniles", "en": "Youth centre opening hours"},
    summary={
        "es": "Los centros juveniles cierran a las 20:00 y no abren el fin de semana. ¿Cuándo los usarías?",
        "en": "Youth centres close at 8 pm and stay shut at weekends. When would you use them?",
    },
    body={
        "es": "Murcia tiene nueve centros juveniles. Queremos ajustar sus horarios a **cuando de verdad podéis ir**.",
        "en": "Murcia has nine youth centres. We want their hours to match **when you can actually come**.",
    },
    questions=(
        single(
            {"es": "¿Cuándo te vendría mejor que abrieran?", "en": "When would opening suit you best?"},
            choice("afternoon", 3, es="Por la tarde entre semana", en="Weekday afternoons"),
            choice("late", 6, es="Hasta las 22:00 entre semana", en="Until 10 pm on weekdays"),
            choice("saturday", 5, es="Los sábados", en="Saturdays"),
            choice("sunday", 2, es="Los domingos", en="Sundays"),
        ),
        yes_no(
            {
                "es": "¿Has ido a un centro juvenil en el último año?",
                "en": "Have you been to a youth centre in the last year?",
            },
            38,
        ),
        multiple(
            {"es": "¿Qué te gustaría encontrar allí? (hasta 2)", "en": "What would you like to find there? (up to 2)"},
            choice("study", 6, es="Espacio para estudiar", en="A place to study"),
            choice("music", 4, es="Música y salas de ensayo", en="Music and rehearsal rooms"),
            choice("games", 3, es="Videojuegos", en="Video games"),
            choice("workshops", 4, es="Talleres", en="Workshops"),
            at_most=2,
            other={"es": ("Un rocódromo", "Cocina"), "en": ("A climbing wall",)},
        ),
        rating(
            {
                "es": "¿Recomendarías tu centro juvenil a una amiga o un amigo?",
                "en": "Would you recommend your youth centre to a friend?",
            },
            (3, 2, 3, 4, 6, 10, 10, 12, 14, 9, 7),
            scale=(0, 10),
            low={"es": "Nada probable", "en": "Not at all likely"},
            high={"es": "Muy probable", "en": "Extremely likely"},
        ),
        short_text(
            {"es": "Una palabra para tu centro juvenil", "en": "One word for your youth centre"},
            {
                "es": ("Acogedor", "Aburrido", "Lejos", "Familia", "Pequeño", "Necesario"),
                "en": ("Welcoming", "Too far", "Cosy"),
            },
            max_length=40,
        ),
    ),
    outcome={
        "es": "**Lo que nos dijisteis:** la mayoría pedís abrir más tarde entre semana y los sábados, y más "
        "espacio para estudiar.\n\n**Lo que haremos:** tres centros abrirán hasta las 22:00 de lunes a jueves "
        "y todos abrirán los sábados por la tarde. Seguiremos aquí cada compromiso.",
        "en": "**You said:** most of you want later opening on weekdays and on Saturdays, and more room to study.\n\n"
        "**We will:** open three centres until 10 pm Monday to Thursday and every centre on Saturday "
        "afternoons. We will follow each commitment here.",
    },
    commitments=(
        DemoCommitment(
            {
                "es": "Abrir todos los centros los sábados de 16:00 a 20:00",
                "en": "Open every centre on Saturdays from 4 pm to 8 pm",
            },
            CommitmentStatus.DONE,
            -10,
        ),
        DemoCommitment(
            {
                "es": "Abrir tres centros hasta las 22:00 de lunes a jueves",
                "en": "Open three centres until 10 pm Monday to Thursday",
            },
            CommitmentStatus.IN_PROGRESS,
            30,
        ),
        DemoCommitment(
            {
                "es": "Salas de estudio con wifi en El Carmen y Espinardo",
                "en": "Study rooms with wifi in El Carmen and Espinardo",
            },
            CommitmentStatus.PLANNED,
            120,
        ),
        DemoCommitment(
            {
                "es": "Abrir los centros por la mañana en periodo escolar",
                "en": "Open the centres in the mornings during term",
            },
            CommitmentStatus.NOT_POSSIBLE,
            60,
            reason={
                "es": "Por la mañana los locales se usan para la formación de personas adultas.",
                "en": "In the mornings the buildings are used for adult education.",
            },
        ),
    ),
)

SPORT_NEIGHBOURHOOD = DemoConsultation(
    city="murcia",
    stage=Stage.DRAFT,
    topic=Topic.CULTURE_SPORT,
    title={"es": "Deporte en tu barrio", "en": "Sport in your neighbourhood"},
    summary={"es": "¿Qué deporte te gustaría practicar cerca de casa?", "en": "Which sport would you play near home?"},
    body={"es": "Borrador: preguntas aún en revisión.", "en": "Draft: questions still being reviewed."},
    questions=(
        multiple(
            {"es": "¿Qué deportes practicas?", "en": "Which sports do you play?"},
            choice("football", 5, es="Fútbol", en="Football"),
            choice("basketball", 3, es="Baloncesto", en="Basketball"),
            choice("padel", 3, es="Pádel", en="Padel"),
            choice("dance", 2, es="Baile", en="Dance"),
            at_most=3,
        ),
        yes_no(
            {
                "es": "¿Hay una instalación deportiva a menos de 15 minutos de tu casa?",
                "en": "Is there a sports facility within 15 minutes of your home?",
            },
            60,
        ),
    ),
)

MENTAL_HEALTH = DemoConsultation(
    city="murcia",
    stage=Stage.SCHEDULED,
    topic=Topic.MENTAL_HEALTH,
    min_age=16,
    title={"es": "Salud mental: ¿a quién pides ayuda?", "en": "Mental health: who do you turn to?"},
    summary={
        "es": "Queremos saber a quién acudes cuando lo pasas mal, para acercar la ayuda a donde estás.",
        "en": "We want to know who you turn to when things are hard, to bring help closer to you.",
    },
    body={
        "es": "Consulta anónima para personas de 16 a 30 años. Si necesitas ayuda ahora, llama al **024**.",
        "en": "Anonymous consultation for people aged 16 to 30. If you need help now, call **024**.",
    },
    questions=(
        single(
            {
                "es": "Si tuvieras un mal momento, ¿a quién acudirías primero?",
                "en": "If you were going through a hard time, who would you turn to first?",
            },
            choice("friends", 6, es="Amistades", en="Friends"),
            choice("family", 4, es="Familia", en="Family"),
            choice("professional", 2, es="Un profesional", en="A professional"),
            choice("nobody", 2, es="A nadie", en="Nobody"),
        ),
        yes_no(
            {
                "es": "¿Sabes dónde está el servicio de salud mental joven más cercano?",
                "en": "Do you know where the nearest youth mental health service is?",
            },
            25,
        ),
    ),
)

# Beirut (ar, fr, en) --------------------------------------------------------------------------------------------

ONLINE_HATE = DemoConsultation(
    city="beirut",
    stage=Stage.OPEN,
    topic=Topic.HATE_PREVENTION,
    audience=Audience.NETWORK,
    ask_gender=True,
    ask_district=True,
    participation=0.85,
    network_participation=0.4,
    title={
        "ar": "الكراهية على الإنترنت: ما الذي قد يساعدك؟",
        "fr": "La haine en ligne : qu'est-ce qui vous aiderait ?",
        "en": "Online hate: what would help you?",
    },
    summary={
        "ar": "ساعدنا على فهم ما تواجهه على الإنترنت وما الذي قد يحدث فرقاً.",
        "fr": "Aidez-nous à comprendre ce que vous vivez en ligne et ce qui changerait les choses.",
        "en": "Help us understand what you face online and what would make a difference.",
    },
    body={
        "ar": "تطلق بلدية بيروت برنامجاً مع المدارس والجمعيات ضد خطاب الكراهية على الإنترنت. هذه الاستشارة "
        "**مفتوحة لكل أعضاء الشبكة**، من بيروت ومن المدن الأخرى.",
        "fr": "La municipalité de Beyrouth lance un programme avec les écoles et les associations contre la haine en "
        "ligne. Cette consultation est **ouverte à tous les membres du réseau**, à Beyrouth et ailleurs.",
        "en": "Beirut municipality is starting a programme with schools and associations against online hate. This "
        "consultation is **open to every member of the network**, in Beirut and beyond.",
    },
    questions=(
        yes_no(
            {
                "ar": "هل رأيت محتوى يحض على الكراهية على الإنترنت خلال الشهر الماضي؟",
                "fr": "Avez-vous vu des contenus haineux en ligne au cours du dernier mois ?",
                "en": "Have you seen hateful content online in the past month?",
            },
            72,
            by_gender={"woman": 78, "non-binary": 90},
        ),
        single(
            {
                "ar": "ماذا فعلت آخر مرة؟",
                "fr": "Qu'avez-vous fait la dernière fois ?",
                "en": "What did you do the last time?",
            },
            choice("ignored", 7, ar="تجاهلته", fr="Je l'ai ignoré", en="I ignored it"),
            choice("reported", 4, ar="أبلغت عنه", fr="Je l'ai signalé", en="I reported it"),
            choice("replied", 2, ar="رددت عليه", fr="J'ai répondu", en="I replied"),
            choice(
                "talked", 3, ar="تحدثت عنه مع شخص ما", fr="J'en ai parlé à quelqu'un", en="I talked to someone about it"
            ),
            other={"ar": ("حظرت الحساب",), "fr": ("J'ai bloqué le compte",), "en": ("I blocked the account",)},
        ),
        multiple(
            {
                "ar": "ما الذي قد يساعدك أكثر؟ (خياران كحد أقصى)",
                "fr": "Qu'est-ce qui vous aiderait le plus ? (2 au plus)",
                "en": "What would help you most? (up to 2)",
            },
            choice("workshops", 5, ar="ورش عمل في المدرسة", fr="Des ateliers à l'école", en="Workshops at school"),
            choice(
                "reporting", 6, ar="طريقة سهلة للإبلاغ", fr="Un moyen simple de signaler", en="A simple way to report"
            ),
            choice("someone", 4, ar="شخص أتحدث إليه", fr="Quelqu'un à qui parler", en="Someone to talk to"),
            choice(
                "creators",
                3,
                ar="صناع محتوى يتحدثون عن الموضوع",
                fr="Des créateurs de contenu qui en parlent",
                en="Content creators speaking up",
            ),
            at_most=2,
        ),
        rating(
            {
                "ar": "ما مدى شعورك بالأمان على الإنترنت؟",
                "fr": "Vous sentez-vous en sécurité en ligne ?",
                "en": "How safe do you feel online?",
            },
            (12, 25, 33, 20, 10),
            low={"ar": "غير آمن إطلاقاً", "fr": "Pas du tout", "en": "Not at all"},
            high={"ar": "آمن جداً", "fr": "Tout à fait", "en": "Completely"},
        ),
        long_text(
            {
                "ar": "هل تريد أن تضيف شيئاً؟",
                "fr": "Voulez-vous ajouter quelque chose ?",
                "en": "Would you like to add anything?",
            },
            {
                "ar": (
                    "أتمنى لو كانت هناك طريقة أسهل للإبلاغ باللغة العربية.",
                    "يجب أن نتحدث عن هذا في المدرسة، وليس فقط على الإنترنت.",
                    "أحياناً لا أعرف إن كان ما أراه كراهية أم مجرد مزاح.",
                    "أحتاج إلى شخص أثق به لأتحدث معه عندما أتعرض للإساءة.",
                ),
                "fr": (
                    "Les signalements ne servent à rien, les comptes reviennent toujours.",
                    "Il faudrait des ateliers avec des personnes qui ont vécu ça.",
                    "Je préfère ne pas répondre, ça ne fait qu'empirer les choses.",
                    "Les parents ne comprennent pas ce qui se passe en ligne.",
                ),
                "en": (
                    "Platforms should answer reports in Arabic too.",
                    "Workshops would help, but led by young people, not teachers.",
                    "I stopped commenting because of the insults.",
                    "Influencers have more impact than any campaign.",
                ),
                "es": ("Que las redes respondan más rápido a las denuncias.", "Hablarlo en clase ayudaría mucho."),
            },
        ),
    ),
)

SHARED_SPACES = DemoConsultation(
    city="beirut",
    stage=Stage.CLOSED,
    topic=Topic.SOCIAL_COHESION,
    ask_gender=True,
    ask_district=True,
    participation=0.85,
    title={
        "ar": "مساحات مشتركة بين الأحياء",
        "fr": "Des espaces partagés entre quartiers",
        "en": "Shared spaces between neighbourhoods",
    },
    summary={
        "ar": "أين يلتقي شباب الأحياء المختلفة، وأين يمكن أن يلتقوا أكثر؟",
        "fr": "Où les jeunes de quartiers différents se rencontrent-ils, et où pourraient-ils se rencontrer ?",
        "en": "Where do young people from different neighbourhoods meet, and where could they?",
    },
    body={
        "ar": "النتائج قيد الدراسة وسننشر قريباً ما سنفعله.",
        "fr": "Les résultats sont à l'étude ; nous publierons bientôt ce que nous ferons.",
        "en": "The results are being studied; we will publish soon what we will do.",
    },
    questions=(
        single(
            {
                "ar": "أين تلتقي بشباب من أحياء أخرى؟",
                "fr": "Où rencontrez-vous des jeunes d'autres quartiers ?",
                "en": "Where do you meet young people from other neighbourhoods?",
            },
            choice(
                "school", 6, ar="في المدرسة أو الجامعة", fr="À l'école ou à l'université", en="At school or university"
            ),
            choice("sport", 3, ar="في النشاطات الرياضية", fr="Au sport", en="At sport"),
            choice("online", 4, ar="على الإنترنت", fr="En ligne", en="Online"),
            choice("rarely", 3, ar="نادراً", fr="Rarement", en="Rarely"),
        ),
        yes_no(
            {
                "ar": "هل تود المشاركة في نشاطات أكثر مع شباب من أحياء أخرى؟",
                "fr": "Aimeriez-vous plus d'activités avec des jeunes d'autres quartiers ?",
                "en": "Would you like more activities with young people from other neighbourhoods?",
            },
            68,
        ),
        ranking(
            {"ar": "أي النشاطات أولاً؟", "fr": "Quelles activités en premier ?", "en": "Which activities first?"},
            choice("sport", 5, ar="الرياضة", fr="Le sport", en="Sport"),
            choice("music", 4, ar="الموسيقى", fr="La musique", en="Music"),
            choice("volunteering", 3, ar="التطوع", fr="Le bénévolat", en="Volunteering"),
            choice("cinema", 2, ar="السينما", fr="Le cinéma", en="Cinema"),
            places=3,
        ),
        long_text(
            {"ar": "أفكار أخرى؟", "fr": "D'autres idées ?", "en": "Other ideas?"},
            {
                "ar": ("مباريات كرة قدم بين الأحياء كل شهر.", "حفلات موسيقية في الحدائق العامة."),
                "fr": (
                    "Un festival de quartier qui change de quartier chaque année.",
                    "Des clubs de débat entre écoles.",
                ),
                "en": ("A shared bike route between neighbourhoods.",),
            },
        ),
    ),
)

FIRST_JOB = DemoConsultation(
    city="beirut",
    stage=Stage.ARCHIVED,
    topic=Topic.EMPLOYMENT,
    min_age=16,
    participation=0.75,
    title={
        "ar": "الوظيفة الأولى: ما الذي ينقصك؟",
        "fr": "Premier emploi : qu'est-ce qui vous manque ?",
        "en": "First job: what is missing?",
    },
    summary={
        "ar": "ما الذي يصعّب إيجاد أول وظيفة في بيروت؟",
        "fr": "Qu'est-ce qui rend le premier emploi difficile à Beyrouth ?",
        "en": "What makes a first job hard to find in Beirut?",
    },
    body={
        "ar": "استشارة عام ٢٠٢٥ حول التوظيف.",
        "fr": "Consultation de 2025 sur l'emploi des jeunes.",
        "en": "2025 consultation on youth employment.",
    },
    questions=(
        multiple(
            {"ar": "ما الذي ينقصك أكثر؟", "fr": "Qu'est-ce qui vous manque le plus ?", "en": "What do you lack most?"},
            choice("experience", 6, ar="الخبرة", fr="L'expérience", en="Experience"),
            choice("network", 5, ar="المعارف", fr="Le réseau", en="Contacts"),
            choice("languages", 2, ar="اللغات", fr="Les langues", en="Languages"),
            choice("offers", 4, ar="عروض العمل", fr="Des offres", en="Job offers"),
            at_most=2,
        ),
        rating(
            {
                "ar": "ما مدى تفاؤلك بإيجاد عمل هذا العام؟",
                "fr": "Êtes-vous optimiste pour trouver un emploi cette année ?",
                "en": "How hopeful are you of finding work this year?",
            },
            (20, 30, 28, 15, 7),
            low={"ar": "غير متفائل", "fr": "Pas du tout", "en": "Not at all"},
            high={"ar": "متفائل جداً", "fr": "Très", "en": "Very"},
        ),
    ),
    outcome={
        "ar": "أطلقنا برنامج تدريب صيفي مع ٤٠ شركة.",
        "fr": "Nous avons lancé des stages d'été avec 40 entreprises.",
        "en": "We started summer internships with 40 companies.",
    },
    commitments=(
        DemoCommitment(
            {
                "ar": "تدريب صيفي مع ٤٠ شركة",
                "fr": "Stages d'été avec 40 entreprises",
                "en": "Summer internships with 40 companies",
            },
            CommitmentStatus.DONE,
            -90,
        ),
        DemoCommitment(
            {
                "ar": "منصة عروض عمل للشباب",
                "fr": "Une plateforme d'offres pour les jeunes",
                "en": "A job board for young people",
            },
            CommitmentStatus.NOT_POSSIBLE,
            -60,
            reason={
                "ar": "لم يتوفر التمويل هذا العام.",
                "fr": "Le financement n'a pas été obtenu cette année.",
                "en": "The funding was not secured this year.",
            },
        ),
    ),
)

# Montréal (fr, en) ----------------------------------------------------------------------------------------------

NIGHT_BUSES = DemoConsultation(
    city="montreal",
    stage=Stage.OPEN,
    topic=Topic.SAFETY,
    mode=ResponseMode.IDENTIFIED,
    participation=0.85,
    title={"fr": "Autobus de nuit : vos trajets", "en": "Night buses: your journeys"},
    summary={
        "fr": "Comment rentrez-vous le soir ? Aidez-nous à repenser le réseau de nuit.",
        "en": "How do you get home at night? Help us rethink the night network.",
    },
    body={
        "fr": "Cette consultation est **nominative** : l'équipe verra votre pseudonyme à côté de vos réponses, pour "
        "inviter quelques répondants à un atelier avec la société de transport.",
        "en": "This consultation is **identified**: the team will see your display name next to your answers, to "
        "invite a few respondents to a workshop with the transit company.",
    },
    questions=(
        single(
            {
                "fr": "À quelle heure rentrez-vous le plus souvent le vendredi ?",
                "en": "When do you usually get home on Fridays?",
            },
            choice("before-22", 4, fr="Avant 22 h", en="Before 10 pm"),
            choice("22-24", 6, fr="Entre 22 h et minuit", en="Between 10 pm and midnight"),
            choice("after-24", 4, fr="Après minuit", en="After midnight"),
        ),
        yes_no(
            {
                "fr": "Avez-vous déjà renoncé à sortir faute d'autobus ?",
                "en": "Have you ever stayed home because there was no bus?",
            },
            57,
        ),
        short_text(
            {"fr": "Quelle ligne devrait rouler plus tard ?", "en": "Which route should run later?"},
            {
                "fr": ("La 55 sur Saint-Laurent", "La 24 Sherbrooke", "La 121"),
                "en": ("The 80 on Parc", "Route 105"),
            },
            rate=0.6,
        ),
    ),
)

DIVISIVE_ISSUES = DemoConsultation(
    city="montreal",
    stage=Stage.OUTCOME_PUBLISHED,
    topic=Topic.POLARISATION,
    ask_gender=True,
    participation=0.85,
    title={"fr": "Parler des sujets qui divisent à l'école", "en": "Talking about divisive issues at school"},
    summary={
        "fr": "Peut-on parler de tout en classe sans se disputer ?",
        "en": "Can you talk about anything in class without it turning into a fight?",
    },
    body={
        "fr": "Avec les centres de services scolaires, nous voulons outiller les élèves et les enseignants.",
        "en": "With the school service centres, we want to give students and teachers better tools.",
    },
    questions=(
        yes_no(
            {
                "fr": "Avez-vous évité un sujet en classe par peur des réactions ?",
                "en": "Have you avoided a topic in class for fear of the reactions?",
            },
            61,
            by_gender={"woman": 66, "man": 52},
        ),
        rating(
            {
                "fr": "Vous sentez-vous libre de donner votre avis en classe ?",
                "en": "Do you feel free to give your opinion in class?",
            },
            (4, 5, 6, 8, 10, 12, 12, 14, 12, 9, 8),
            scale=(0, 10),
            low={"fr": "Pas du tout", "en": "Not at all"},
            high={"fr": "Complètement", "en": "Completely"},
        ),
        multiple(
            {"fr": "Qu'est-ce qui aiderait ?", "en": "What would help?"},
            choice("rules", 4, fr="Des règles de discussion claires", en="Clear rules for discussion"),
            choice("trained", 5, fr="Des enseignants formés", en="Trained teachers"),
            choice("small", 3, fr="Des petits groupes", en="Small groups"),
            choice("anonymous", 3, fr="Des questions anonymes", en="Anonymous questions"),
            at_most=2,
        ),
        long_text(
            {"fr": "Un exemple ?", "en": "An example?"},
            {
                "fr": (
                    "Quand on parle de religion, deux ou trois élèves monopolisent la parole.",
                    "Mon prof a très bien géré un débat sur l'immigration, on devrait s'en inspirer.",
                ),
                "en": ("Debates get personal very fast on social media after class.",),
            },
        ),
    ),
    outcome={
        "fr": "Vous avez dit que les enseignants manquent d'outils. Dès la rentrée, une formation leur sera "
        "proposée et des élèves co-animeront des ateliers.",
        "en": "You said teachers lack tools. From the new school year they will be offered training, and "
        "students will co-lead workshops.",
    },
    commitments=(
        DemoCommitment(
            {
                "fr": "Formation de 200 enseignants au dialogue en classe",
                "en": "Train 200 teachers in classroom dialogue",
            },
            CommitmentStatus.IN_PROGRESS,
            90,
        ),
        DemoCommitment(
            {"fr": "Ateliers co-animés par des élèves dans 10 écoles", "en": "Student co-led workshops in 10 schools"},
            CommitmentStatus.PLANNED,
            150,
        ),
    ),
)

# Lyon (fr) ------------------------------------------------------------------------------------------------------

CLIMATE_NEIGHBOURHOOD = DemoConsultation(
    city="lyon",
    stage=Stage.CLOSED,
    topic=Topic.ENVIRONMENT,
    ask_gender=True,
    participation=0.9,
    title={"fr": "Le climat dans mon quartier"},
    summary={"fr": "Chaleur, arbres, vélo : qu'est-ce qui compte pour vous ?"},
    body={"fr": "Merci pour vos réponses ! Les résultats sont publiés ; la Ville présentera ses décisions en janvier."},
    questions=(
        single(
            {"fr": "Quel est le problème principal l'été dans votre quartier ?"},
            choice("heat", 7, fr="La chaleur"),
            choice("shade", 4, fr="Le manque d'ombre"),
            choice("noise", 2, fr="Le bruit"),
            choice("air", 3, fr="La pollution de l'air"),
        ),
        multiple(
            {"fr": "Que faudrait-il en priorité ?"},
            choice("trees", 7, fr="Planter des arbres"),
            choice("fountains", 4, fr="Des fontaines"),
            choice("bikes", 4, fr="Des pistes cyclables"),
            choice("gardens", 3, fr="Des jardins partagés"),
            at_most=2,
            other={"fr": ("Des cours d'école végétalisées",)},
        ),
        rating(
            {"fr": "La Ville agit-elle assez pour le climat ?"},
            (18, 30, 30, 15, 7),
            low={"fr": "Pas du tout"},
            high={"fr": "Tout à fait"},
        ),
        long_text(
            {"fr": "Une idée pour votre rue ?"},
            {
                "fr": (
                    "Des arbres rue Garibaldi, c'est un four en juillet.",
                    "Ouvrir les cours d'école l'été.",
                    "Plus de fontaines à boire dans les parcs.",
                ),
            },
            rate=0.35,
        ),
    ),
)

TALENT_FESTIVAL = DemoConsultation(
    city="lyon",
    stage=Stage.DRAFT,
    topic=Topic.CULTURE_SPORT,
    title={"fr": "Festival des jeunes talents"},
    summary={"fr": "Quelles scènes voulez-vous voir au festival ?"},
    body={"fr": "Brouillon."},
    questions=(
        multiple(
            {"fr": "Quelles scènes ?"},
            choice("rap", 5, fr="Rap"),
            choice("dance", 3, fr="Danse"),
            choice("theatre", 2, fr="Théâtre"),
            at_most=2,
        ),
    ),
)

# Nairobi and Mombasa (en) ---------------------------------------------------------------------------------------

FIRST_JOB_NAIROBI = DemoConsultation(
    city="nairobi",
    stage=Stage.OPEN,
    topic=Topic.EMPLOYMENT,
    ask_gender=True,
    participation=0.85,
    title={"en": "Finding your first job"},
    summary={"en": "Tell the county what stands between you and your first job."},
    body={
        "en": "The county is planning a youth employment programme for 2027. Your answers decide **where the "
        "money goes**: training, internships or support for young entrepreneurs."
    },
    questions=(
        single(
            {"en": "What are you doing now?"},
            choice("studying", 4, en="Studying"),
            choice("looking", 6, en="Looking for work"),
            choice("casual", 4, en="Casual work"),
            choice("business", 2, en="Running a small business"),
        ),
        ranking(
            {"en": "Rank what would help most"},
            choice("internships", 6, en="Paid internships"),
            choice("skills", 4, en="Digital skills training"),
            choice("loans", 3, en="Start-up loans"),
            choice("mentors", 3, en="Mentors"),
            places=3,
        ),
        rating(
            {"en": "How hopeful are you about finding work this year?"},
            (15, 25, 30, 20, 10),
            low={"en": "Not hopeful"},
            high={"en": "Very hopeful"},
        ),
        long_text(
            {"en": "What would you tell the county?"},
            {
                "en": (
                    "Internships should be paid, we cannot work for free.",
                    "Most jobs are found through people you know. Help us meet employers.",
                    "Make it easier to register a small business.",
                    "Train us in coding and digital marketing, that is where the jobs are.",
                ),
                "fr": ("Des stages rémunérés, s'il vous plaît.",),
            },
        ),
    ),
)

SAFE_ONLINE = DemoConsultation(
    city="nairobi",
    stage=Stage.SCHEDULED,
    topic=Topic.DIGITAL_LIFE,
    audience=Audience.NETWORK,
    title={"en": "Staying safe online"},
    summary={"en": "Scams, harassment, privacy: what worries you online? Open to the whole network."},
    body={"en": "Opens soon to every member of the network."},
    questions=(
        multiple(
            {"en": "What worries you most online?"},
            choice("scams", 5, en="Scams"),
            choice("harassment", 5, en="Harassment"),
            choice("privacy", 4, en="Privacy"),
            at_most=2,
        ),
    ),
)

GREEN_JOBS = DemoConsultation(
    city="mombasa",
    stage=Stage.OUTCOME_PUBLISHED,
    topic=Topic.ENVIRONMENT,
    ask_gender=True,
    participation=0.9,
    title={"en": "Beach clean-ups and green jobs"},
    summary={"en": "Could keeping our beaches clean create jobs for young people?"},
    body={
        "en": "Plastic on the beaches hurts fishing and tourism. We asked whether young people would take part "
        "in paid clean-ups and recycling."
    },
    questions=(
        yes_no({"en": "Would you join a paid beach clean-up crew?"}, 74),
        multiple(
            {"en": "Which green jobs interest you?"},
            choice("recycling", 5, en="Recycling"),
            choice("mangroves", 4, en="Mangrove restoration"),
            choice("tourism", 4, en="Eco-tourism guiding"),
            at_most=2,
        ),
        short_text(
            {"en": "Which beach needs it most?"}, {"en": ("Jomo Kenyatta Public Beach", "Nyali", "Shelly Beach")}
        ),
    ),
    outcome={
        "en": "**You said:** about three in four of you would join a paid clean-up crew.\n\n"
        "**We did:** the county funds three crews of young people, paid weekly, starting with the "
        "public beach."
    },
    commitments=(
        DemoCommitment({"en": "Three paid youth clean-up crews"}, CommitmentStatus.DONE, -20),
        DemoCommitment({"en": "A recycling hub in Likoni"}, CommitmentStatus.IN_PROGRESS, 45),
        DemoCommitment({"en": "Mangrove restoration training"}, CommitmentStatus.PLANNED, 100),
    ),
)

STAYING_SAFE = DemoConsultation(
    city="mombasa",
    stage=Stage.OPEN,
    topic=Topic.PREVENTING_VIOLENT_EXTREMISM,
    min_age=16,
    participation=0.7,
    title={"en": "What keeps young people safe from recruitment into violence?"},
    summary={"en": "Anonymous: tell us what protects young people in your area."},
    body={
        "en": "This consultation is **anonymous to staff**: we see only totals and the texts you write, never "
        "who wrote them. Do not write names or anything that identifies someone."
    },
    questions=(
        multiple(
            {"en": "What protects young people most?"},
            choice("family", 5, en="Family"),
            choice("work", 6, en="Work or training"),
            choice("faith", 4, en="Faith leaders"),
            choice("sport", 3, en="Sport and clubs"),
            at_most=2,
        ),
        yes_no({"en": "Do you know where to go if you are worried about a friend?"}, 35),
        long_text(
            {"en": "What should the county do?"},
            {
                "en": (
                    "Jobs. Idle young people are easy targets.",
                    "Youth centres that stay open in the evening.",
                    "Talk to us, not about us.",
                ),
            },
        ),
    ),
)

# Medellín (es, en), Dhaka (en) ----------------------------------------------------------------------------------

CULTURE_COMUNAS = DemoConsultation(
    city="medellin",
    stage=Stage.ARCHIVED,
    topic=Topic.CULTURE_SPORT,
    participation=0.85,
    title={"es": "Cultura en las comunas", "en": "Culture in the comunas"},
    summary={"es": "¿Qué cultura quieres en tu comuna?", "en": "What culture do you want in your comuna?"},
    body={"es": "Consulta de 2025.", "en": "2025 consultation."},
    questions=(
        single(
            {"es": "¿Qué te gustaría más?", "en": "What would you like most?"},
            choice("hiphop", 6, es="Escuelas de hip hop", en="Hip hop schools"),
            choice("libraries", 3, es="Bibliotecas abiertas de noche", en="Libraries open at night"),
            choice("murals", 4, es="Murales", en="Murals"),
        ),
    ),
    outcome={
        "es": "Abrimos dos escuelas de hip hop en las comunas 13 y 8.",
        "en": "We opened two hip hop schools in comunas 13 and 8.",
    },
    commitments=(
        DemoCommitment(
            {"es": "Escuelas de hip hop en las comunas 13 y 8", "en": "Hip hop schools in comunas 13 and 8"},
            CommitmentStatus.DONE,
            -120,
        ),
    ),
)

STUDY_SPACES = DemoConsultation(
    city="dhaka",
    stage=Stage.CLOSED,
    topic=Topic.EDUCATION,
    participation=0.9,
    title={"en": "Study spaces during exams"},
    summary={"en": "Where can you study quietly when exams come?"},
    body={"en": "Results are published; the city corporation will answer next month."},
    questions=(
        single(
            {"en": "Where do you study before exams?"},
            choice("home", 5, en="At home"),
            choice("library", 2, en="In a library"),
            choice("coaching", 4, en="At a coaching centre"),
            choice("cafe", 1, en="In a café"),
        ),
        yes_no({"en": "Would you use a free study hall open until 10 pm?"}, 81),
    ),
)

DEMO_CONSULTATIONS = (
    SAFER_PARKS,
    YOUTH_CENTRE_HOURS,
    SPORT_NEIGHBOURHOOD,
    MENTAL_HEALTH,
    ONLINE_HATE,
    SHARED_SPACES,
    FIRST_JOB,
    NIGHT_BUSES,
    DIVISIVE_ISSUES,
    CLIMATE_NEIGHBOURHOOD,
    TALENT_FESTIVAL,
    FIRST_JOB_NAIROBI,
    SAFE_ONLINE,
    GREEN_JOBS,
    STAYING_SAFE,
    CULTURE_COMUNAS,
    STUDY_SPACES,
)
