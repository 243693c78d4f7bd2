"""Words and names the benchmark corpus is made of: real French about health, data and the State."""

# Nouns: (word, gender, starts with a vowel sound). Singular; the generator adds the article.
NOUNS = [
    ("sécurité", "f", False), ("protection", "f", False), ("confidentialité", "f", False),
    ("gestion", "f", False), ("transmission", "f", False), ("conservation", "f", False),
    ("hébergement", "m", True), ("traitement", "m", False), ("financement", "m", False),
    ("remboursement", "m", False), ("accès", "m", True), ("partage", "m", False),
    ("contrôle", "m", False), ("déploiement", "m", False), ("dispositif", "m", False),
    ("système", "m", False), ("réseau", "m", False), ("plateforme", "f", False),
    ("stratégie", "f", False), ("politique", "f", False), ("réforme", "f", False),
    ("situation", "f", False), ("fragilité", "f", False), ("vulnérabilité", "f", False),
    ("exposition", "f", True), ("fuite", "f", False), ("cyberattaque", "f", False),
    ("piratage", "m", False), ("rançongiciel", "m", False), ("intrusion", "f", True),
    ("authentification", "f", True), ("habilitation", "f", True), ("certification", "f", False),
    ("obligation", "f", True), ("recommandation", "f", False), ("sanction", "f", False),
    ("mise en demeure", "f", False), ("enquête", "f", True), ("évaluation", "f", True),
    ("coordination", "f", False), ("formation", "f", False), ("pénurie", "f", False),
    ("désertification", "f", False), ("attractivité", "f", True), ("rémunération", "f", False),
    ("prise en charge", "f", False), ("tarification", "f", False), ("reste à charge", "m", False),
    ("couverture", "f", False), ("prévention", "f", False), ("dépistage", "m", False),
    ("vaccination", "f", False), ("ordonnance", "f", True), ("prescription", "f", False),
    ("téléconsultation", "f", False), ("télésurveillance", "f", False), ("messagerie", "f", False),
    ("identité", "f", True), ("numérisation", "f", False), ("interopérabilité", "f", True),
    ("souveraineté", "f", False), ("dépendance", "f", False), ("maintenance", "f", False),
    ("budget", "m", False), ("calendrier", "m", False), ("cadre", "m", False),
    ("recrutement", "m", False), ("effectif", "m", True), ("fonctionnement", "m", False),
]

# Adjectives: (masculine, feminine).
ADJECTIVES = [
    ("numérique", "numérique"), ("médical", "médicale"), ("hospitalier", "hospitalière"),
    ("sanitaire", "sanitaire"), ("sensible", "sensible"), ("personnel", "personnelle"),
    ("public", "publique"), ("national", "nationale"), ("régional", "régionale"),
    ("territorial", "territoriale"), ("local", "locale"), ("européen", "européenne"),
    ("informatique", "informatique"), ("administratif", "administrative"), ("financier", "financière"),
    ("juridique", "juridique"), ("technique", "technique"), ("obligatoire", "obligatoire"),
    ("complémentaire", "complémentaire"), ("insuffisant", "insuffisante"), ("préoccupant", "préoccupante"),
    ("durable", "durable"), ("efficace", "efficace"), ("coûteux", "coûteuse"), ("fragile", "fragile"),
    ("massif", "massive"), ("récent", "récente"), ("progressif", "progressive"),
    ("opérationnel", "opérationnelle"), ("partagé", "partagée"), ("sécurisé", "sécurisée"),
    ("dématérialisé", "dématérialisée"), ("inégal", "inégale"), ("rural", "rurale"),
]

# Complements that follow a noun: "de ..." phrases, already agreed.
COMPLEMENTS = [
    "des données de santé", "des dossiers patients informatisés", "du dossier médical partagé",
    "de l'Espace numérique de santé", "des assurés sociaux", "des établissements de santé",
    "des centres hospitaliers", "des professionnels de santé", "des opticiens", "des pharmacies d'officine",
    "des organismes complémentaires", "du tiers payant", "des plateformes de tiers payant",
    "de la carte Vitale", "des logiciels métiers", "des hébergeurs de données de santé",
    "de la Caisse nationale d'assurance maladie", "de la CNIL", "de l'Agence du numérique en santé",
    "des collectivités territoriales", "des agences régionales de santé", "des maisons de santé",
    "des services d'urgence", "des établissements médico-sociaux", "des patients atteints de maladies chroniques",
    "des personnes âgées dépendantes", "des médecins généralistes", "des infirmiers libéraux",
    "des laboratoires de biologie médicale", "des centres de vaccination", "des services publics",
    "des petites communes", "des territoires ruraux", "des départements d'outre-mer",
    "du Règlement général sur la protection des données", "des codes LPP", "des équipements d'optique",
    "des fournisseurs de cloud", "des systèmes d'information hospitaliers", "de la messagerie sécurisée",
]

VERBS = [
    "fragilise", "menace", "compromet", "affecte", "préoccupe", "concerne", "mobilise", "interroge",
    "exige", "suppose", "révèle", "souligne", "aggrave", "accroît", "limite", "retarde", "complique",
    "renforce", "conditionne", "pénalise", "met en cause", "met en lumière", "remet en question",
    "dépasse", "freine", "alourdit",
]

ADVERBIALS = [
    "depuis plusieurs années", "dans de nombreux territoires", "en particulier dans les zones rurales",
    "à la suite des cyberattaques de 2024", "selon les professionnels du secteur", "au détriment des patients",
    "malgré les annonces successives", "dans un contexte budgétaire contraint", "sur l'ensemble du territoire",
    "en l'absence de cadre clair", "au regard des exigences européennes", "dans les mois à venir",
    "pour de nombreuses familles", "au sein des établissements", "de manière durable",
    "faute de moyens suffisants", "dans les départements les plus touchés", "à un rythme préoccupant",
    "depuis la crise sanitaire", "selon les chiffres de l'assurance maladie", "à brève échéance",
]

CONNECTORS = ["Or, ", "Par ailleurs, ", "En outre, ", "De plus, ", "Cependant, ", "Ainsi, ",
              "Dans ce contexte, ", "Pourtant, ", "En effet, ", "De surcroît, ", "", "", "", ""]

INFINITIVES = [
    "garantir la sécurité des données de santé", "renforcer la cybersécurité des établissements",
    "améliorer l'accès aux soins", "simplifier les démarches des assurés", "protéger la vie privée des patients",
    "sécuriser les plateformes de tiers payant", "accompagner les professionnels de santé",
    "réduire le reste à charge des ménages", "lutter contre la désertification médicale",
    "encadrer l'hébergement des données", "soutenir les collectivités territoriales",
    "assurer la continuité des soins", "prévenir de nouvelles fuites de données",
    "limiter la transmission des codes LPP aux seuls besoins du remboursement",
]

ANSWER_OPENINGS = [
    "Le Gouvernement est pleinement mobilisé sur ce sujet.", "La question posée appelle les précisions suivantes.",
    "La sécurité des systèmes d'information de santé constitue une priorité du Gouvernement.",
    "Le ministère partage la préoccupation exprimée par l'auteur de la question.",
    "Les services de l'État suivent cette situation avec la plus grande attention.",
]

ANSWER_VERBS = ["a engagé", "a renforcé", "a publié", "a lancé", "a confié", "a financé", "poursuit",
                "a étendu", "a simplifié", "accompagne", "a mis en place", "a précisé"]

TITLE_HEADS = [
    "Sécurité", "Protection", "Confidentialité", "Financement", "Accès", "Remboursement", "Hébergement",
    "Contrôle", "Déploiement", "Situation", "Avenir", "Reconnaissance", "Fonctionnement", "Cybersécurité",
    "Prise en charge", "Tarification", "Pénurie", "Attractivité", "Transmission", "Gestion",
]

TETES_ANALYSE = ["Cyberattaques", "Données de santé", "Tiers payant", "Déserts médicaux", "Hôpitaux",
                 "Optique", "Carte Vitale", "Professions de santé", "Médicaments", "Urgences", "CNIL",
                 "Télémédecine", "Prévention", "Assurance maladie", "Collectivités", "Numérique"]

MINISTRIES = [  # (ministry as the AN names it, how a question addresses its minister)
    ("Santé et prévention", "M. le ministre de la santé et de la prévention"),
    ("Travail, santé et solidarités", "Mme la ministre du travail, de la santé et des solidarités"),
    ("Santé et accès aux soins", "M. le ministre de la santé et de l'accès aux soins"),
    ("Solidarités et santé", "M. le ministre des solidarités et de la santé"),
    ("Numérique", "Mme la secrétaire d'État chargée du numérique"),
    ("Transition numérique et télécommunications", "M. le ministre délégué chargé de la transition numérique"),
    ("Économie, finances et souveraineté industrielle et numérique",
     "M. le ministre de l'économie, des finances et de la souveraineté industrielle et numérique"),
    ("Comptes publics", "M. le ministre délégué chargé des comptes publics"),
    ("Intérieur et outre-mer", "M. le ministre de l'intérieur et des outre-mer"),
    ("Justice", "M. le garde des sceaux, ministre de la justice"),
    ("Armées", "M. le ministre des armées"),
    ("Europe et affaires étrangères", "Mme la ministre de l'Europe et des affaires étrangères"),
    ("Éducation nationale et jeunesse", "Mme la ministre de l'éducation nationale et de la jeunesse"),
    ("Enseignement supérieur et recherche", "Mme la ministre de l'enseignement supérieur et de la recherche"),
    ("Agriculture et souveraineté alimentaire", "M. le ministre de l'agriculture et de la souveraineté alimentaire"),
    ("Transition écologique et cohésion des territoires",
     "M. le ministre de la transition écologique et de la cohésion des territoires"),
    ("Transition énergétique", "Mme la ministre de la transition énergétique"),
    ("Transports", "M. le ministre délégué chargé des transports"),
    ("Logement", "M. le ministre délégué chargé du logement"),
    ("Travail, plein emploi et insertion", "M. le ministre du travail, du plein emploi et de l'insertion"),
    ("Solidarités et familles", "Mme la ministre des solidarités et des familles"),
    ("Personnes handicapées", "Mme la ministre déléguée chargée des personnes handicapées"),
    ("Organisation territoriale et professions de santé",
     "Mme la ministre déléguée chargée de l'organisation territoriale et des professions de santé"),
    ("Collectivités territoriales et ruralité", "Mme la ministre déléguée chargée des collectivités territoriales et de la ruralité"),
    ("Transformation et fonction publiques", "M. le ministre de la transformation et de la fonction publiques"),
    ("Culture", "Mme la ministre de la culture"),
    ("Sports et jeux Olympiques et Paralympiques", "Mme la ministre des sports et des jeux Olympiques et Paralympiques"),
    ("Outre-mer", "M. le ministre délégué chargé des outre-mer"),
    ("Petites et moyennes entreprises, commerce, artisanat et tourisme",
     "Mme la ministre déléguée chargée des petites et moyennes entreprises, du commerce, de l'artisanat et du tourisme"),
    ("Égalité entre les femmes et les hommes et lutte contre les discriminations",
     "Mme la ministre déléguée chargée de l'égalité entre les femmes et les hommes"),
]

RUBRIQUES = [
    "santé", "assurance maladie maternité", "numérique", "professions de santé", "établissements de santé",
    "pharmacie et médicaments", "sécurité sociale", "données personnelles", "internet", "informatique",
    "télécommunications", "personnes âgées", "personnes handicapées", "famille", "femmes", "enfants",
    "jeunes", "enseignement", "enseignement supérieur", "recherche et innovation", "agriculture",
    "agroalimentaire", "eau et assainissement", "énergie et carburants", "environnement", "logement",
    "transports", "transports ferroviaires", "transports routiers", "aménagement du territoire",
    "collectivités territoriales", "communes", "outre-mer", "fonction publique hospitalière",
    "fonction publique territoriale", "impôts et taxes", "impôt sur le revenu", "entreprises",
    "commerce et artisanat", "consommation", "emploi et activité", "chômage", "retraites : généralités",
    "police", "gendarmerie", "justice", "sécurité des biens et des personnes", "défense",
    "culture", "sports",
]

GROUPS = {  # legislature -> [(abbreviation, full name)], as NosDéputés and the AN name them
    15: [("LREM", "La République en Marche"), ("LR", "Les Républicains"),
         ("MODEM", "Mouvement Démocrate et apparentés"), ("SOC", "Socialistes et apparentés"),
         ("AGIR-E", "Agir ensemble"), ("UDI-I", "UDI et Indépendants"), ("LFI", "La France insoumise"),
         ("GDR", "Gauche démocrate et républicaine"), ("LT", "Libertés et Territoires"), ("NI", "Non inscrit")],
    16: [("REN", "Renaissance"), ("RN", "Rassemblement National"),
         ("LFI", "La France insoumise - Nouvelle Union Populaire écologique et sociale"),
         ("LR", "Les Républicains"), ("MODEM", "Démocrate (MoDem et Indépendants)"),
         ("SOC", "Socialistes et apparentés"), ("HOR", "Horizons et apparentés"), ("ECO", "Écologiste - NUPES"),
         ("GDR", "Gauche démocrate et républicaine - NUPES"),
         ("LIOT", "Libertés, Indépendants, Outre-mer et Territoires"), ("NI", "Non inscrit")],
    17: [("EPR", "Ensemble pour la République"), ("RN", "Rassemblement National"),
         ("LFI-NFP", "La France insoumise - Nouveau Front Populaire"), ("SOC", "Socialistes et apparentés"),
         ("DR", "Droite Républicaine"), ("ECOS", "Écologiste et Social"), ("DEM", "Les Démocrates"),
         ("HOR", "Horizons & Indépendants"), ("LIOT", "Libertés, Indépendants, Outre-mer et Territoires"),
         ("GDR", "Gauche Démocrate et Républicaine"), ("UDR", "Union des droites pour la République"),
         ("NI", "Non inscrit")],
}

FIRST_NAMES_F = ["Julie", "Marie", "Sophie", "Isabelle", "Nathalie", "Catherine", "Hélène", "Émilie", "Anne",
                 "Claire", "Céline", "Valérie", "Sandrine", "Agnès", "Béatrice", "Mathilde", "Léa", "Chloé",
                 "Géraldine", "Aurélie", "Françoise", "Élodie", "Laurence", "Cécile", "Ségolène", "Stéphanie"]
FIRST_NAMES_M = ["Vincent", "Jean", "Pierre", "Philippe", "François", "Nicolas", "Olivier", "Thierry", "Éric",
                 "Frédéric", "Stéphane", "Jérôme", "Benoît", "Hervé", "Loïc", "Aurélien", "Grégoire", "Sébastien",
                 "Jean-Luc", "Jean-François", "Marc", "Antoine", "Thomas", "Rémi", "Joël", "André"]
FAMILY_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
    "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
    "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin",
    "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier",
    "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Pérez", "Marchand", "Dufour",
    "Blanchard", "Marie", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez",
    "Pierre", "Renard", "Arnaud", "Rolland", "Caron", "Aubert", "Giraud", "Leclerc", "Vidal", "Bourgeois",
    "Renaud", "Lemoine", "Picard", "Gaillard", "Philippe", "Leclercq", "Lacroix", "Fabre", "Dupuis", "Olivier",
    "Rodriguez", "Da Silva", "Hubert", "Louis", "Charles", "Guillot", "Rivière", "Le Gall", "Guillaume", "Adam",
    "Rey", "Moulin", "Gonzalez", "Berger", "Lecomte", "Menard", "Fleury", "Deschamps", "Carpentier", "Julien",
    "Benoît", "Paris", "Maillard", "Marchal", "Aubry", "Vasseur", "Le Roux", "Renault", "Jacquet", "Collet",
    "Prévost", "Poirier", "Charpentier", "Royer", "Huet", "Baron", "Dupuy", "Pons", "Paul", "Laine",
    "Carré", "Bréton", "Rémy", "Schneider", "Pereira", "Besson", "Delpech", "Barré", "Hamon", "Cordier",
]

DEPARTEMENTS = [  # (code, name)
    ("01", "Ain"), ("02", "Aisne"), ("06", "Alpes-Maritimes"), ("09", "Ariège"), ("13", "Bouches-du-Rhône"),
    ("14", "Calvados"), ("17", "Charente-Maritime"), ("21", "Côte-d'Or"), ("22", "Côtes-d'Armor"),
    ("25", "Doubs"), ("29", "Finistère"), ("31", "Haute-Garonne"), ("33", "Gironde"), ("34", "Hérault"),
    ("35", "Ille-et-Vilaine"), ("38", "Isère"), ("42", "Loire"), ("44", "Loire-Atlantique"), ("45", "Loiret"),
    ("49", "Maine-et-Loire"), ("54", "Meurthe-et-Moselle"), ("57", "Moselle"), ("59", "Nord"), ("62", "Pas-de-Calais"),
    ("63", "Puy-de-Dôme"), ("67", "Bas-Rhin"), ("69", "Rhône"), ("72", "Sarthe"), ("73", "Savoie"),
    ("75", "Paris"), ("76", "Seine-Maritime"), ("77", "Seine-et-Marne"), ("78", "Yvelines"), ("83", "Var"),
    ("84", "Vaucluse"), ("85", "Vendée"), ("91", "Essonne"), ("92", "Hauts-de-Seine"), ("93", "Seine-Saint-Denis"),
    ("94", "Val-de-Marne"), ("971", "Guadeloupe"), ("974", "La Réunion"),
]

MOTIFS_CLOTURE = ["Retrait à l'initiative de l'auteur", "Fin de mandat", "Changement d'attribution", "Décès"]
