"""A seeded, reproducible "Clusters meet Regions"-style population with planted matches.

Used for the demo and the benchmark. Texts are templated but varied; a documented share
of participants get a *planted* counterpart: one side requests something and the other
offers it, written with different titles, verbs and phrasings that share the topic, the
application and one concrete detail (as a real answer to a real request would), never a
copy of the request. Background items draw from the same capabilities, applications and
details, so a planted pair competes with look-alikes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pycountry

from matchmaking.errors import InvalidRulesError
from matchmaking.profiles import (
    Opportunity,
    OpportunityKind,
    OrganisationType,
    ParticipantProfile,
)

DEFAULT_PLANTED_SHARE = 0.4
DEFAULT_MUTUAL_SHARE = 0.25


@dataclass(frozen=True)
class Tag:
    slug: str
    label: str
    group: str  # "theme" (policy themes) or "sector" (sectors and technologies)


@dataclass(frozen=True)
class Taxonomy:
    tags: tuple[Tag, ...]

    def labels(self) -> dict[str, str]:
        return {t.slug: t.label for t in self.tags}

    def slugs(self, group: str) -> tuple[str, ...]:
        return tuple(t.slug for t in self.tags if t.group == group)


@dataclass(frozen=True)
class Organisation:
    organisation_id: str
    name: str
    organisation_type: OrganisationType
    country: str
    region: str
    sectors: tuple[str, ...]
    size: str
    website: str


@dataclass(frozen=True)
class Participant:
    participant_id: str
    first_name: str
    last_name: str
    role: str
    email: str
    organisation_id: str
    profile: ParticipantProfile


@dataclass(frozen=True)
class PlantedPair:
    """``offerer`` wrote an offer for ``requester``'s request on ``capability``."""

    requester_id: str
    offerer_id: str
    capability: str
    is_mutual: bool


@dataclass(frozen=True)
class Population:
    organisations: tuple[Organisation, ...]
    participants: tuple[Participant, ...]
    taxonomy: Taxonomy
    planted_pairs: tuple[PlantedPair, ...]
    seed: int

    @property
    def profiles(self) -> tuple[ParticipantProfile, ...]:
        return tuple(p.profile for p in self.participants)


THEMES: tuple[tuple[str, str], ...] = (
    ("green-transition", "Green transition"),
    ("digital-transition", "Digital transition"),
    ("resilience", "Resilience"),
    ("skills", "Skills"),
    ("internationalisation", "Internationalisation"),
    ("funding", "Funding and investment"),
    ("regional-innovation", "Regional innovation strategies"),
    ("industrial-symbiosis", "Industrial symbiosis"),
)

SECTORS: tuple[tuple[str, str], ...] = (
    ("energy", "Renewable energy"),
    ("hydrogen", "Hydrogen"),
    ("batteries", "Batteries"),
    ("mobility", "Mobility"),
    ("agrifood", "Agrifood"),
    ("health", "Health"),
    ("aerospace", "Aerospace"),
    ("raw-materials", "Raw materials"),
    ("ai", "Artificial intelligence"),
    ("circular-economy", "Circular economy"),
    ("textiles", "Textiles"),
    ("construction", "Construction"),
    ("cybersecurity", "Cybersecurity"),
    ("photonics", "Photonics"),
)

# (slug, sector, offer noun phrase, request noun phrase, offer verb phrase, request verb
# phrase): the two sides name the same need differently, as people do.
CAPABILITIES: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        "solar-monitoring",
        "energy",
        "Solar plant monitoring",
        "PV performance analytics",
        "remote monitoring of photovoltaic plants",
        "analytics for our photovoltaic plants",
    ),
    (
        "heat-pumps",
        "energy",
        "Industrial heat pumps",
        "Process heat electrification",
        "high-temperature heat pumps for process heat",
        "heat pumps replacing gas boilers",
    ),
    (
        "grid-storage",
        "energy",
        "Grid-scale storage",
        "Storage to balance the grid",
        "containerised storage for grid balancing",
        "a storage system to balance grid loads",
    ),
    (
        "electrolysers",
        "hydrogen",
        "PEM electrolysers",
        "Green hydrogen production",
        "PEM electrolyser stacks for green hydrogen",
        "electrolyser capacity for green hydrogen",
    ),
    (
        "hydrogen-storage",
        "hydrogen",
        "Hydrogen tanks",
        "Hydrogen storage solution",
        "composite tanks for compressed hydrogen",
        "safe storage of compressed hydrogen",
    ),
    (
        "fuel-cells",
        "hydrogen",
        "Fuel cell systems",
        "Fuel cell integration",
        "fuel cell power modules",
        "integration of fuel cell modules",
    ),
    (
        "battery-recycling",
        "batteries",
        "Battery recycling",
        "Recycling of spent batteries",
        "recycling of lithium-ion battery packs",
        "a recycler for spent lithium-ion packs",
    ),
    (
        "battery-testing",
        "batteries",
        "Battery cell testing",
        "Cell characterisation",
        "cell testing and ageing characterisation",
        "characterisation of battery cell ageing",
    ),
    (
        "bms",
        "batteries",
        "Battery management systems",
        "BMS development",
        "battery management electronics and firmware",
        "firmware for battery management",
    ),
    (
        "ev-charging",
        "mobility",
        "EV charging stations",
        "Charging infrastructure",
        "fast chargers for electric vehicles",
        "charging points for electric vehicles",
    ),
    (
        "fleet-telematics",
        "mobility",
        "Fleet telematics",
        "Vehicle tracking platform",
        "telematics for vehicle fleets",
        "tracking and routing of our vehicle fleet",
    ),
    (
        "mobility-apps",
        "mobility",
        "Mobility-as-a-service apps",
        "Multimodal journey app",
        "ticketing apps for multimodal journeys",
        "an app for multimodal ticketing",
    ),
    (
        "precision-farming",
        "agrifood",
        "Precision farming sensors",
        "Crop sensing",
        "soil and crop sensors for precision farming",
        "sensors to monitor crops and soil",
    ),
    (
        "food-packaging",
        "agrifood",
        "Compostable food packaging",
        "Plastic-free packaging",
        "compostable packaging for fresh food",
        "packaging without plastic for fresh food",
    ),
    (
        "cold-chain",
        "agrifood",
        "Cold chain logistics",
        "Refrigerated transport",
        "refrigerated logistics for perishable food",
        "refrigerated transport of perishables",
    ),
    (
        "telemedicine",
        "health",
        "Telemedicine platform",
        "Remote patient follow-up",
        "a telemedicine platform for remote consultations",
        "remote consultations with patients",
    ),
    (
        "medical-imaging",
        "health",
        "AI medical imaging",
        "Imaging diagnostics support",
        "image analysis software for radiology",
        "software support for radiology imaging",
    ),
    (
        "medtech-regulatory",
        "health",
        "MDR regulatory consulting",
        "Medical device approval",
        "regulatory support under the medical device regulation",
        "approval of our medical device under the regulation",
    ),
    (
        "composites",
        "aerospace",
        "Aerospace composites",
        "Lightweight composite parts",
        "carbon fibre composite parts",
        "lightweight parts in carbon fibre",
    ),
    (
        "drones",
        "aerospace",
        "Inspection drones",
        "Drone-based inspection",
        "drones for infrastructure inspection",
        "drone inspection of infrastructure",
    ),
    (
        "earth-observation",
        "aerospace",
        "Earth observation data",
        "Satellite imagery analysis",
        "satellite imagery and earth observation analytics",
        "analysis of satellite imagery",
    ),
    (
        "critical-minerals",
        "raw-materials",
        "Critical minerals recovery",
        "Secondary raw materials",
        "recovery of critical minerals from tailings",
        "secondary sources of critical minerals",
    ),
    (
        "metal-powders",
        "raw-materials",
        "Metal powders",
        "Powders for additive manufacturing",
        "atomised metal powders for 3D printing",
        "metal powder for 3D printing",
    ),
    (
        "mineral-mapping",
        "raw-materials",
        "Mineral exploration mapping",
        "Deposit mapping",
        "hyperspectral mapping of mineral deposits",
        "mapping of mineral deposits",
    ),
    (
        "predictive-maintenance",
        "ai",
        "Predictive maintenance AI",
        "Machine failure prediction",
        "machine learning for predictive maintenance",
        "prediction of machine failures",
    ),
    (
        "computer-vision",
        "ai",
        "Computer vision quality control",
        "Automated visual inspection",
        "computer vision for quality inspection",
        "automated visual quality inspection",
    ),
    (
        "language-ai",
        "ai",
        "Multilingual chatbots",
        "Customer service automation",
        "multilingual chatbots for customer service",
        "automation of customer service chats",
    ),
    (
        "industrial-symbiosis",
        "circular-economy",
        "Waste heat exchange",
        "Use of waste heat",
        "matching of waste heat between plants",
        "a user for our waste heat",
    ),
    (
        "plastic-recycling",
        "circular-economy",
        "Plastic recycling",
        "Recycled plastic supply",
        "mechanical recycling of post-consumer plastic",
        "a supply of recycled plastic granulate",
    ),
    (
        "repair-platforms",
        "circular-economy",
        "Repair and reuse platform",
        "Product reuse service",
        "a platform for repair and reuse of products",
        "reuse and repair of returned products",
    ),
    (
        "smart-textiles",
        "textiles",
        "Smart textiles",
        "Sensor-integrated fabrics",
        "textiles with integrated sensors",
        "fabric with sensors woven in",
    ),
    (
        "textile-recycling",
        "textiles",
        "Textile fibre recycling",
        "Recycled fibres",
        "fibre-to-fibre recycling of used garments",
        "recycled fibres from used garments",
    ),
    (
        "technical-textiles",
        "textiles",
        "Technical textiles",
        "Protective fabrics",
        "flame-retardant technical fabrics",
        "protective fabric that resists flames",
    ),
    (
        "timber-construction",
        "construction",
        "Cross-laminated timber",
        "Timber building system",
        "prefabricated cross-laminated timber elements",
        "prefabricated timber elements",
    ),
    (
        "energy-renovation",
        "construction",
        "Deep energy renovation",
        "Building retrofits",
        "deep energy renovation of buildings",
        "energy retrofit of our buildings",
    ),
    (
        "bim",
        "construction",
        "BIM digital twins",
        "Building digital twin",
        "BIM-based digital twins of buildings",
        "a digital twin of our buildings",
    ),
    (
        "ot-security",
        "cybersecurity",
        "OT security audits",
        "Industrial cyber protection",
        "security audits of industrial control systems",
        "protection of industrial control",
    ),
    (
        "cyber-training",
        "cybersecurity",
        "Cyber awareness training",
        "Phishing training",
        "cyber awareness and phishing training for staff",
        "training staff against phishing",
    ),
    (
        "lidar",
        "photonics",
        "Lidar sensors",
        "3D sensing",
        "solid-state lidar sensors",
        "3D sensing with lidar",
    ),
    (
        "laser-processing",
        "photonics",
        "Laser micro-processing",
        "Laser cutting services",
        "ultrafast laser micro-machining",
        "laser cutting of thin parts",
    ),
)

# Where a capability is used; the two wordings share the word a reader would pick out.
APPLICATIONS: tuple[tuple[str, str], ...] = (
    ("for dairy farms", "in the dairy sector"),
    ("for bus operators", "for our bus fleet"),
    ("for offshore wind parks", "at offshore installations"),
    ("in steel mills", "for steel producers"),
    ("for regional airports", "at small airports"),
    ("for vineyards and wineries", "in vineyards"),
    ("for hospitals", "in hospitals and clinics"),
    ("for cement plants", "in the cement industry"),
    ("for railway operators", "for railway maintenance"),
    ("for fish farms", "in fish farming"),
    ("in pharmaceutical production", "for pharmaceutical plants"),
    ("for social housing", "in housing renovation"),
    ("for paper mills", "in the paper industry"),
    ("for ski resorts", "at mountain ski areas"),
    ("for data centres", "in our data centres"),
    ("for scooter sharing", "for scooter fleets"),
    ("for satellite operators", "for satellite missions"),
    ("for olive growers", "in olive oil production"),
    ("for automotive suppliers", "in automotive assembly"),
    ("for water utilities", "in drinking water networks"),
    ("for glass factories", "in glass production"),
    ("for furniture makers", "in the furniture industry"),
    ("for nursing homes", "in care homes"),
    ("for mining sites", "in underground mining"),
    ("for chemical parks", "in chemical plants"),
    ("for logistics hubs", "in logistics warehouses"),
    ("for greenhouse growers", "in greenhouse horticulture"),
    ("for ferry operators", "on ferry routes"),
    ("for vocational schools", "in schools"),
    ("for tyre manufacturers", "in tyre production"),
)

# A concrete detail of the need; both sides mention it in their own words.
DETAILS: tuple[tuple[str, str], ...] = (
    ("tested in cold climates", "that copes with a cold climate"),
    ("from a pilot line", "first on a pilot line"),
    ("with CE marking", "that carries CE marking"),
    ("in small series", "for small series"),
    ("as a retrofit kit", "as a retrofit"),
    ("with an open API", "through an open API"),
    ("under a leasing model", "through leasing"),
    ("with on-site training", "including training on site"),
    ("with ISO 14001 reporting", "with reporting for ISO 14001"),
    ("delivered within 8 weeks", "within 8 weeks"),
    ("in Spanish and Portuguese", "in Portuguese"),
    ("with a carbon footprint report", "including the carbon footprint"),
    ("for a Horizon Europe demonstrator", "for our Horizon Europe demonstrator"),
    ("with edge computing", "running on edge devices"),
    ("with remote support", "backed by remote support"),
    ("sized for SMEs", "at a size for an SME"),
    ("with modular containers", "in modular form"),
    ("certified for ATEX zones", "usable in ATEX zones"),
    ("with a digital product passport", "with digital product passports"),
    ("at pilot scale", "at pilot scale first"),
    ("with biodegradable materials", "using biodegradable materials"),
    ("in a living lab", "tested in a living lab"),
    ("with GDPR-compliant hosting", "with hosting that is GDPR compliant"),
    ("with predictive alerts", "with alerts"),
    ("via a pay-per-use contract", "on a pay-per-use basis"),
)

OFFER_OPENINGS = (
    "We provide",
    "Our team delivers",
    "We have ten years of experience in",
    "We supply",
    "Our company develops",
    "We offer",
    "Our lab specialises in",
)
OFFER_CLOSINGS = (
    "References are available on request.",
    "We are ready to start a pilot.",
    "Our solution is already deployed in three countries.",
    "We look for first customers abroad.",
    "We can adapt it to your site.",
    "Happy to show a demonstration at the event.",
)
REQUEST_OPENINGS = (
    "We are looking for",
    "We need",
    "We seek a partner offering",
    "We want to source",
    "Our members ask for",
    "We would like to buy",
)
REQUEST_CLOSINGS = (
    "Budget is secured for next year.",
    "A tender is planned for the autumn.",
    "We prefer a partner that can visit us.",
    "We are open to a joint project.",
    "Ideally we would start with a pilot.",
    "Please contact us to discuss volumes.",
)

# (ISO code, regions, legal form, first names, last names)
COUNTRIES: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "DE",
        ("Bavaria", "Saxony", "North Rhine-Westphalia"),
        "GmbH",
        ("Anna", "Lukas", "Katrin", "Jonas", "Sabine", "Felix"),
        ("Müller", "Schmidt", "Weber", "Becker", "Hoffmann", "Krause"),
    ),
    (
        "FR",
        ("Occitanie", "Auvergne-Rhône-Alpes", "Hauts-de-France"),
        "SAS",
        ("Camille", "Julien", "Claire", "Mathieu", "Élodie", "Antoine"),
        ("Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard"),
    ),
    (
        "IT",
        ("Lombardy", "Emilia-Romagna", "Apulia"),
        "S.r.l.",
        ("Giulia", "Marco", "Francesca", "Luca", "Chiara", "Matteo"),
        ("Rossi", "Bianchi", "Romano", "Colombo", "Ricci", "Greco"),
    ),
    (
        "ES",
        ("Catalonia", "Basque Country", "Andalusia"),
        "S.L.",
        ("Lucía", "Javier", "Marta", "Pablo", "Elena", "Sergio"),
        ("García", "Fernández", "López", "Martínez", "Sánchez", "Etxeberria"),
    ),
    (
        "PT",
        ("Norte", "Centro", "Alentejo"),
        "Lda.",
        ("Inês", "João", "Beatriz", "Tiago", "Mariana", "Rui"),
        ("Silva", "Santos", "Ferreira", "Pereira", "Costa", "Oliveira"),
    ),
    (
        "NL",
        ("North Brabant", "Groningen", "South Holland"),
        "B.V.",
        ("Sanne", "Daan", "Lotte", "Bram", "Femke", "Joost"),
        ("de Jong", "Jansen", "de Vries", "Bakker", "Visser", "Smit"),
    ),
    (
        "BE",
        ("Flanders", "Wallonia", "Brussels-Capital"),
        "NV",
        ("Elise", "Pieter", "Charlotte", "Thomas", "Lien", "Arnaud"),
        ("Peeters", "Janssens", "Maes", "Dupont", "Claes", "Lambert"),
    ),
    (
        "AT",
        ("Upper Austria", "Styria", "Tyrol"),
        "GmbH",
        ("Lena", "Florian", "Theresa", "Stefan", "Magdalena", "Tobias"),
        ("Gruber", "Huber", "Wagner", "Pichler", "Moser", "Steiner"),
    ),
    (
        "PL",
        ("Silesia", "Pomerania", "Lesser Poland"),
        "sp. z o.o.",
        ("Agnieszka", "Piotr", "Katarzyna", "Tomasz", "Magdalena", "Michał"),
        ("Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowski"),
    ),
    (
        "CZ",
        ("South Moravia", "Prague", "Moravia-Silesia"),
        "s.r.o.",
        ("Tereza", "Jakub", "Lucie", "Martin", "Veronika", "Ondřej"),
        ("Novák", "Svobodová", "Dvořák", "Černá", "Procházka", "Kučera"),
    ),
    (
        "SK",
        ("Bratislava Region", "Košice Region", "Žilina Region"),
        "s.r.o.",
        ("Zuzana", "Peter", "Jana", "Marek", "Lenka", "Juraj"),
        ("Horváth", "Kováčová", "Varga", "Tóthová", "Baláž", "Szabo"),
    ),
    (
        "HU",
        ("Central Hungary", "Western Transdanubia", "Northern Great Plain"),
        "Kft.",
        ("Eszter", "Bence", "Réka", "Dávid", "Anna", "Gábor"),
        ("Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Farkas"),
    ),
    (
        "RO",
        ("North-West", "Bucharest-Ilfov", "West"),
        "S.R.L.",
        ("Ioana", "Andrei", "Elena", "Mihai", "Ana", "Cristian"),
        ("Popescu", "Ionescu", "Dumitru", "Stan", "Munteanu", "Georgescu"),
    ),
    (
        "BG",
        ("Sofia City", "Plovdiv", "Varna"),
        "EOOD",
        ("Maria", "Georgi", "Desislava", "Ivan", "Teodora", "Nikolay"),
        ("Ivanova", "Petrov", "Georgieva", "Dimitrov", "Nikolova", "Stoyanov"),
    ),
    (
        "GR",
        ("Central Macedonia", "Attica", "Crete"),
        "S.A.",
        ("Eleni", "Giorgos", "Katerina", "Nikos", "Sofia", "Dimitris"),
        ("Papadopoulos", "Georgiou", "Nikolaou", "Karagianni", "Vlachos", "Pappa"),
    ),
    (
        "SE",
        ("Västra Götaland", "Skåne", "Norrbotten"),
        "AB",
        ("Elin", "Erik", "Maja", "Oskar", "Sara", "Johan"),
        ("Andersson", "Johansson", "Lindqvist", "Nilsson", "Berg", "Lund"),
    ),
    (
        "FI",
        ("Uusimaa", "Pirkanmaa", "North Ostrobothnia"),
        "Oy",
        ("Aino", "Mikko", "Laura", "Juha", "Sanna", "Ville"),
        ("Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Laine", "Heikkinen"),
    ),
    (
        "DK",
        ("Central Denmark", "Capital Region", "North Denmark"),
        "A/S",
        ("Freja", "Mads", "Ida", "Rasmus", "Sofie", "Anders"),
        ("Jensen", "Nielsen", "Hansen", "Pedersen", "Larsen", "Møller"),
    ),
    (
        "IE",
        ("Southern Region", "Eastern and Midland", "Northern and Western"),
        "Ltd",
        ("Aoife", "Ciarán", "Niamh", "Seán", "Siobhán", "Eoin"),
        ("Murphy", "Kelly", "O'Sullivan", "Walsh", "Byrne", "Ryan"),
    ),
    (
        "SI",
        ("Osrednjeslovenska", "Podravska", "Gorenjska"),
        "d.o.o.",
        ("Nina", "Luka", "Maja", "Jure", "Eva", "Matej"),
        ("Novak", "Horvat", "Krajnc", "Zupančič", "Kovačič", "Potočnik"),
    ),
    (
        "HR",
        ("Zagreb", "Split-Dalmatia", "Istria"),
        "d.o.o.",
        ("Ivana", "Marko", "Petra", "Ivan", "Lucija", "Josip"),
        ("Horvat", "Kovačević", "Babić", "Marić", "Jurić", "Knežević"),
    ),
    (
        "EE",
        ("Harju", "Tartu", "Ida-Viru"),
        "OÜ",
        ("Kadri", "Mart", "Liis", "Rasmus", "Kertu", "Siim"),
        ("Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk"),
    ),
    (
        "LT",
        ("Vilnius County", "Kaunas County", "Klaipėda County"),
        "UAB",
        ("Rūta", "Tomas", "Eglė", "Mantas", "Ieva", "Lukas"),
        ("Kazlauskas", "Petrauskienė", "Jankauskas", "Stankevičius", "Vasiliauskas", "Žukas"),
    ),
    (
        "NO",
        ("Vestland", "Trøndelag", "Viken"),
        "AS",
        ("Ingrid", "Magnus", "Kari", "Henrik", "Silje", "Eirik"),
        ("Hansen", "Johansen", "Olsen", "Larsen", "Berg", "Haugen"),
    ),
    (
        "TW",
        ("Taipei", "Hsinchu", "Taichung"),
        "Co., Ltd.",
        ("Mei-Ling", "Chih-Hao", "Yi-Chen", "Wei-Lun", "Shu-Fen", "Jun-Jie"),
        ("Chen", "Lin", "Huang", "Chang", "Lee", "Wang"),
    ),
    (
        "CA",
        ("Quebec", "Ontario", "British Columbia"),
        "Inc.",
        ("Émilie", "Liam", "Chloé", "Noah", "Olivia", "Gabriel"),
        ("Tremblay", "Roy", "Smith", "Gagnon", "Brown", "Wilson"),
    ),
    (
        "TN",
        ("Tunis", "Sfax", "Sousse"),
        "SARL",
        ("Amira", "Youssef", "Salma", "Mehdi", "Ines", "Karim"),
        ("Ben Ali", "Trabelsi", "Gharbi", "Jaziri", "Mansouri", "Ayari"),
    ),
    (
        "MA",
        ("Casablanca-Settat", "Tanger-Tetouan-Al Hoceima", "Souss-Massa"),
        "SARL",
        ("Fatima", "Omar", "Khadija", "Hamza", "Sara", "Yassine"),
        ("El Amrani", "Benali", "Alaoui", "Tazi", "Berrada", "Idrissi"),
    ),
    (
        "JP",
        ("Kanto", "Kansai", "Chubu"),
        "K.K.",
        ("Yuki", "Haruto", "Aoi", "Ren", "Sakura", "Takumi"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Yamamoto"),
    ),
)
_NON_EUROPE = frozenset({"TW", "CA", "TN", "MA", "JP"})
REGIONS = tuple(region for country in COUNTRIES for region in country[1])
QUANTITIES = tuple(range(20, 1000, 20))

TYPE_SHARES: tuple[tuple[OrganisationType, float], ...] = (
    (OrganisationType.SME, 0.40),
    (OrganisationType.LARGE_COMPANY, 0.10),
    (OrganisationType.CLUSTER_ORGANISATION, 0.12),
    (OrganisationType.RESEARCH, 0.10),
    (OrganisationType.UNIVERSITY, 0.08),
    (OrganisationType.PUBLIC_AUTHORITY, 0.08),
    (OrganisationType.INVESTOR, 0.05),
    (OrganisationType.OTHER, 0.07),
)

ROLES: dict[OrganisationType, tuple[str, ...]] = {
    OrganisationType.SME: ("CEO", "CTO", "Business developer", "Founder", "Sales manager"),
    OrganisationType.LARGE_COMPANY: (
        "Head of innovation",
        "Procurement manager",
        "R&D director",
        "Open innovation scout",
    ),
    OrganisationType.CLUSTER_ORGANISATION: (
        "Cluster manager",
        "Project manager",
        "Internationalisation officer",
    ),
    OrganisationType.RESEARCH: (
        "Senior researcher",
        "Technology transfer officer",
        "Head of department",
    ),
    OrganisationType.UNIVERSITY: (
        "Professor",
        "Research project manager",
        "Innovation office lead",
    ),
    OrganisationType.PUBLIC_AUTHORITY: (
        "Policy officer",
        "Head of unit",
        "Smart specialisation adviser",
    ),
    OrganisationType.INVESTOR: ("Investment manager", "Partner", "Analyst"),
    OrganisationType.OTHER: ("Adviser", "Chamber of commerce officer", "Consultant"),
}

TYPE_PHRASES: dict[OrganisationType, str] = {
    OrganisationType.SME: "an innovative SME",
    OrganisationType.LARGE_COMPANY: "an industrial group",
    OrganisationType.CLUSTER_ORGANISATION: "a cluster organisation with over 100 members",
    OrganisationType.RESEARCH: "an applied research institute",
    OrganisationType.UNIVERSITY: "a university",
    OrganisationType.PUBLIC_AUTHORITY: "a regional public authority",
    OrganisationType.INVESTOR: "an investment fund",
    OrganisationType.OTHER: "a business support organisation",
}

STEMS = (
    "Nord",
    "Vita",
    "Terra",
    "Aero",
    "Blue",
    "Helio",
    "Agri",
    "Volt",
    "Ceram",
    "Hydro",
    "Lumi",
    "Quanta",
    "Silva",
    "Marina",
    "Alto",
    "Ferro",
    "Lyra",
    "Orbis",
    "Nova",
    "Cirro",
    "Tessa",
    "Kora",
    "Delta",
    "Praxis",
    "Sol",
    "Vento",
    "Arbor",
    "Petra",
    "Axon",
    "Fluxa",
)
NAME_ENDINGS = (
    "Systems",
    "Solutions",
    "Labs",
    "Technologies",
    "Engineering",
    "Works",
    "Innovations",
    "Dynamics",
)


def _taxonomy() -> Taxonomy:
    tags = [Tag(slug, label, "theme") for slug, label in THEMES]
    tags += [Tag(slug, label, "sector") for slug, label in SECTORS]
    return Taxonomy(tuple(tags))


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


@dataclass
class _Draft:
    """Mutable while the generator plants items; frozen into a profile at the end."""

    participant_id: str
    organisation: Organisation
    first_name: str
    last_name: str
    role: str
    interests: list[str]
    sectors: list[str]
    items: list[Opportunity]


class _Writer:
    """Writes opportunity texts; one instance per population so ids stay sequential."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.count = 0
        self.by_sector: dict[str, list[int]] = {}
        for number, capability in enumerate(CAPABILITIES):
            self.by_sector.setdefault(capability[1], []).append(number)

    def _id(self) -> str:
        self.count += 1
        return f"opp{self.count:06d}"

    def capability_for(self, sectors: list[str]) -> int:
        choices = [c for s in sectors for c in self.by_sector.get(s, [])]
        if choices and self.rng.random() < 0.85:
            return self.rng.choice(choices)
        return self.rng.randrange(len(CAPABILITIES))

    def offer(
        self, capability: int, application: int, detail: int, region: str, quantity: int
    ) -> Opportunity:
        slug, sector, offer_name, _, offer_phrase, _ = CAPABILITIES[capability]
        text = (
            f"{self.rng.choice(OFFER_OPENINGS)} {offer_phrase} "
            f"{APPLICATIONS[application][0]}, {DETAILS[detail][0]}. "
            f"We can handle {quantity} units a year and already serve clients in {region}. "
            f"{self.rng.choice(OFFER_CLOSINGS)}"
        )
        return Opportunity(OpportunityKind.OFFER, offer_name, text, (sector, slug), self._id())

    def request(
        self, capability: int, application: int, detail: int, region: str, quantity: int
    ) -> Opportunity:
        slug, sector, _, request_name, _, request_phrase = CAPABILITIES[capability]
        text = (
            f"{self.rng.choice(REQUEST_OPENINGS)} {request_phrase} "
            f"{APPLICATIONS[application][1]}, {DETAILS[detail][1]}, "
            f"about {quantity} units for our sites in {region}. "
            f"{self.rng.choice(REQUEST_CLOSINGS)}"
        )
        return Opportunity(OpportunityKind.REQUEST, request_name, text, (sector, slug), self._id())

    def investment(self, sector: str, label: str) -> Opportunity:
        ticket = self.rng.choice(("0.5 to 2", "1 to 5", "3 to 10"))
        stage = self.rng.choice(("seed", "early-stage", "growth"))
        return Opportunity(
            OpportunityKind.INVESTMENT,
            f"Investment in {stage} {label.lower()} companies",
            f"We invest EUR {ticket} million in {stage} companies in "
            f"{label.lower()} and look for funding requests from European start-ups.",
            (sector, "funding"),
            self._id(),
        )

    def funding_request(self, capability: int) -> Opportunity:
        slug, sector, offer_name, _, offer_phrase, _ = CAPABILITIES[capability]
        return Opportunity(
            OpportunityKind.REQUEST,
            f"Seed funding for {offer_name.lower()}",
            f"We are raising a seed round to scale {offer_phrase} and look for investors.",
            (sector, slug, "funding"),
            self._id(),
        )

    def cooperation(self, capability: int, region: str) -> Opportunity:
        slug, sector, offer_name, request_name, offer_phrase, _ = CAPABILITIES[capability]
        call = self.rng.choice(
            ("Horizon Europe", "Interreg", "LIFE", "Digital Europe", "Eureka", "Erasmus+")
        )
        kind = self.rng.choice((OpportunityKind.PARTNER_SEARCH, OpportunityKind.COOPERATION))
        topic = self.rng.choice((offer_name, request_name)).lower()
        application = self.rng.choice(APPLICATIONS)[self.rng.randrange(2)]
        role = self.rng.choice(
            (
                "a pilot site",
                "a technology partner",
                "an end user",
                "a research partner",
                "a coordinator",
            )
        )
        return Opportunity(
            kind,
            f"{call} partners: {topic}",
            f"Consortium from {region} preparing a {call} proposal on {offer_phrase} "
            f"{application}; we still need {role}.",
            (sector, slug),
            self._id(),
        )


def _organisations(rng: random.Random, count: int) -> list[Organisation]:
    types, shares = zip(*TYPE_SHARES, strict=True)
    sector_slugs = [slug for slug, _ in SECTORS]
    sector_labels = dict(SECTORS)
    europe = [c for c in COUNTRIES if c[0] not in _NON_EUROPE]
    abroad = [c for c in COUNTRIES if c[0] in _NON_EUROPE]
    names: set[str] = set()
    result = []
    for number in range(count):
        # Every type and the first countries appear even in a small demo population.
        kind = types[number] if number < len(types) else rng.choices(types, weights=shares)[0]
        if number < len(COUNTRIES):
            code, regions, legal, _, _ = COUNTRIES[number]
        else:
            code, regions, legal, _, _ = rng.choice(abroad if rng.random() < 0.08 else europe)
        region = rng.choice(regions)
        sectors = tuple(rng.sample(sector_slugs, rng.choice((1, 2, 2, 3))))
        stem, focus = rng.choice(STEMS), sector_labels[sectors[0]]
        name = {
            OrganisationType.SME: f"{stem} {rng.choice(NAME_ENDINGS)} {legal}",
            OrganisationType.LARGE_COMPANY: f"{stem} {rng.choice(('Group', 'Industries'))}",
            OrganisationType.CLUSTER_ORGANISATION: f"{region} {focus} Cluster",
            OrganisationType.RESEARCH: f"{stem} Institute for {focus}",
            OrganisationType.UNIVERSITY: f"University of {region}",
            OrganisationType.PUBLIC_AUTHORITY: f"{region} Regional Development Agency",
            OrganisationType.INVESTOR: f"{stem} {rng.choice(('Ventures', 'Capital'))}",
            OrganisationType.OTHER: f"{region} Chamber of Commerce",
        }[kind]
        base, suffix = name, 2
        while name in names:
            name = (
                f"{base} ({suffix})"
                if kind is not OrganisationType.SME
                else (f"{stem}{suffix} {base.split(' ', 1)[1]}")
            )
            suffix += 1
        names.add(name)
        domain = "".join(ch for ch in name.lower() if ch.isalnum())[:24]
        result.append(
            Organisation(
                organisation_id=f"o{number:05d}",
                name=name,
                organisation_type=kind,
                country=code,
                region=region,
                sectors=sectors,
                size=rng.choice(("1-9", "10-49", "50-249", "250+")),
                website=f"https://www.{domain}.example",
            )
        )
    return result


def _description(draft: _Draft, labels: dict[str, str], rng: random.Random) -> str:
    org = draft.organisation
    sectors = " and ".join(labels[s].lower() for s in draft.sectors)
    interests = ", ".join(labels[s].lower() for s in draft.interests)
    own = [c for c in CAPABILITIES if c[1] in draft.sectors]
    focus = rng.choice(own)[4] if own else ""
    text = (
        f"{org.name} is {TYPE_PHRASES[org.organisation_type]} from {org.region}, "
        f"{_country_name(org.country)}, working on {sectors}. "
    )
    if focus:
        text += f"Our current focus is {focus}. "
    return text + (
        f"{draft.first_name} {draft.last_name} attends as {draft.role.lower()} "
        f"and wants to discuss {interests}."
    )


def generate_population(
    n_participants: int,
    seed: int,
    *,
    planted_share: float = DEFAULT_PLANTED_SHARE,
    mutual_share: float = DEFAULT_MUTUAL_SHARE,
) -> Population:
    """Generate ``n_participants`` participants; the same seed gives the same population.

    ``planted_share`` of the participants (40 % by default) are paired: in each pair one
    requests a capability and the other gets an offer written for that request (same
    capability, application and detail, different wording). ``mutual_share`` of the
    planted pairs (25 %) also get the reverse match on another capability.
    """
    if n_participants < 0 or not 0.0 <= planted_share <= 1.0 or not 0 <= mutual_share <= 1:
        raise InvalidRulesError("n_participants >= 0 and shares in [0, 1] are required")
    rng = random.Random(seed)
    taxonomy = _taxonomy()
    labels = taxonomy.labels()
    themes = list(taxonomy.slugs("theme"))
    writer = _Writer(rng)
    country_people = {c[0]: (c[3], c[4]) for c in COUNTRIES}
    organisations = _organisations(rng, max(1, n_participants))
    drafts: list[_Draft] = []
    used_orgs: list[Organisation] = []
    for org in organisations:
        if len(drafts) >= n_participants:
            break
        used_orgs.append(org)
        for _ in range(min(rng.choice((1, 1, 2, 2, 3)), n_participants - len(drafts))):
            first_names, last_names = country_people[org.country]
            interests = rng.sample(themes, rng.choice((1, 2))) + rng.sample(list(org.sectors), 1)
            drafts.append(
                _Draft(
                    participant_id=f"p{len(drafts):05d}",
                    organisation=org,
                    first_name=rng.choice(first_names),
                    last_name=rng.choice(last_names),
                    role=rng.choice(ROLES[org.organisation_type]),
                    interests=interests,
                    sectors=list(org.sectors),
                    items=[],
                )
            )
    for draft in drafts:
        _add_background_items(draft, writer, rng, labels)
    planted = _plant_pairs(drafts, writer, rng, planted_share, mutual_share)
    participants = []
    for draft in drafts:
        org = draft.organisation
        rng.shuffle(draft.items)
        profile = ParticipantProfile(
            participant_id=draft.participant_id,
            organisation_id=org.organisation_id,
            organisation_type=org.organisation_type,
            country=org.country,
            region=org.region,
            interests=tuple(dict.fromkeys(draft.interests)),
            sectors=tuple(dict.fromkeys(draft.sectors)),
            description=_description(draft, labels, rng),
            opportunities=tuple(draft.items),
        )
        email_name = f"{draft.first_name}.{draft.last_name}".lower().replace(" ", "")
        participants.append(
            Participant(
                participant_id=draft.participant_id,
                first_name=draft.first_name,
                last_name=draft.last_name,
                role=draft.role,
                email=f"{email_name}@{org.website.removeprefix('https://www.')}",
                organisation_id=org.organisation_id,
                profile=profile,
            )
        )
    return Population(tuple(used_orgs), tuple(participants), taxonomy, tuple(planted), seed)


def _add_background_items(
    draft: _Draft, writer: _Writer, rng: random.Random, labels: dict[str, str]
) -> None:
    kind = draft.organisation.organisation_type

    def random_context(region: str) -> tuple[int, int, str, int]:
        return (
            rng.randrange(len(APPLICATIONS)),
            rng.randrange(len(DETAILS)),
            region,
            rng.choice(QUANTITIES),
        )

    if kind is OrganisationType.INVESTOR:
        for sector in draft.sectors[:2]:
            draft.items.append(writer.investment(sector, labels[sector]))
        return
    offers = rng.choice((0, 1, 1, 2)) if kind is not OrganisationType.PUBLIC_AUTHORITY else 0
    requests = rng.choice((0, 1, 1, 2))
    for _ in range(offers):
        draft.items.append(
            writer.offer(writer.capability_for(draft.sectors), *random_context(rng.choice(REGIONS)))
        )
    for _ in range(requests):
        draft.items.append(
            writer.request(
                writer.capability_for(draft.sectors), *random_context(draft.organisation.region)
            )
        )
    if kind is OrganisationType.SME and rng.random() < 0.15:
        draft.items.append(writer.funding_request(writer.capability_for(draft.sectors)))
    if (
        kind
        in (
            OrganisationType.CLUSTER_ORGANISATION,
            OrganisationType.RESEARCH,
            OrganisationType.UNIVERSITY,
        )
        and rng.random() < 0.3
    ):
        draft.items.append(
            writer.cooperation(writer.capability_for(draft.sectors), draft.organisation.region)
        )


def _plant_pairs(
    drafts: list[_Draft],
    writer: _Writer,
    rng: random.Random,
    planted_share: float,
    mutual_share: float,
) -> list[PlantedPair]:
    # Investors and public authorities neither sell nor buy capabilities.
    eligible = [
        d
        for d in drafts
        if d.organisation.organisation_type
        not in (OrganisationType.INVESTOR, OrganisationType.PUBLIC_AUTHORITY)
    ]
    rng.shuffle(eligible)
    wanted = int(len(drafts) * planted_share) // 2
    planted: list[PlantedPair] = []
    pool = list(eligible)
    while len(planted) < wanted and len(pool) >= 2:
        requester = pool.pop()
        partner = next(
            (
                i
                for i in range(len(pool) - 1, -1, -1)
                if pool[i].organisation.organisation_id != requester.organisation.organisation_id
            ),
            None,
        )
        if partner is None:
            break
        offerer = pool.pop(partner)
        capability = _plant(requester, offerer, writer, rng)
        is_mutual = rng.random() < mutual_share
        if is_mutual:
            _plant(offerer, requester, writer, rng)
        planted.append(
            PlantedPair(
                requester.participant_id,
                offerer.participant_id,
                CAPABILITIES[capability][0],
                is_mutual,
            )
        )
    return planted


def _plant(requester: _Draft, offerer: _Draft, writer: _Writer, rng: random.Random) -> int:
    capability = writer.capability_for(requester.sectors)
    application, detail = rng.randrange(len(APPLICATIONS)), rng.randrange(len(DETAILS))
    # The answer echoes the request's particulars: where, what for, how much.
    region, quantity = requester.organisation.region, rng.choice(QUANTITIES)
    requester.items.append(writer.request(capability, application, detail, region, quantity))
    offerer.items.append(writer.offer(capability, application, detail, region, quantity))
    # Whoever offers a capability works in its sector.
    sector = CAPABILITIES[capability][1]
    if sector not in offerer.sectors:
        offerer.sectors.append(sector)
    return capability
