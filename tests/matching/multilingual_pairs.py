"""Sentences written for the cross-language test: an English CV line and its BG, EL, RO, ES and DE versions.

Each row: the ESCO preferred label the English sentence should retrieve first, then the six sentences.
``PAIRS`` is the test set (reporting only: ``tests/matching/test_multilingual.py``); ``TUNING_PAIRS`` were written
afterwards, for other skills, to try ranker changes on (``bench/multilingual_eval.py --set tuning``) without
tuning on the test sentences.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

LANGUAGES = ("en", "bg", "el", "ro", "es", "de")

PAIRS: list[tuple[str, tuple[str, str, str, str, str, str]]] = [
    ("manage budgets", (
        "Managing budgets.",
        "Управление на бюджети.",
        "Διαχείριση προϋπολογισμών.",
        "Gestionarea bugetelor.",
        "Gestión de presupuestos.",
        "Verwaltung von Budgets.",
    )),
    ("Python (computer programming)", (
        "I write software in the Python programming language.",
        "Пиша софтуер на езика за програмиране Python.",
        "Γράφω λογισμικό στη γλώσσα προγραμματισμού Python.",
        "Scriu software în limbajul de programare Python.",
        "Escribo software en el lenguaje de programación Python.",
        "Ich schreibe Software in der Programmiersprache Python.",
    )),
    ("provide first aid", (
        "I provide first aid.",
        "Оказвам първа помощ.",
        "Παρέχω πρώτες βοήθειες.",
        "Acord primul ajutor.",
        "Presto primeros auxilios.",
        "Ich leiste Erste Hilfe.",
    )),
    ("operate forklift", (
        "I operate a forklift.",
        "Управлявам мотокар.",
        "Χειρίζομαι περονοφόρο ανυψωτικό όχημα.",
        "Operez un stivuitor.",
        "Manejo una carretilla elevadora.",
        "Ich bediene einen Gabelstapler.",
    )),
    ("teach mathematics", (
        "I teach mathematics to pupils.",
        "Преподавам математика на ученици.",
        "Διδάσκω μαθηματικά σε μαθητές.",
        "Predau matematică elevilor.",
        "Enseño matemáticas a los alumnos.",
        "Ich unterrichte Schüler in Mathematik.",
    )),
    ("design user interface", (
        "I design user interfaces for apps.",
        "Проектирам потребителски интерфейси за приложения.",
        "Σχεδιάζω διεπαφές χρήστη για εφαρμογές.",
        "Proiectez interfețe cu utilizatorul pentru aplicații.",
        "Diseño interfaces de usuario para aplicaciones.",
        "Ich gestalte Benutzeroberflächen für Apps.",
    )),
    ("analyse road traffic patterns", (
        "I analyse road traffic patterns.",
        "Анализирам моделите на пътния трафик.",
        "Αναλύω τα μοτίβα της οδικής κυκλοφορίας.",
        "Analizez tiparele traficului rutier.",
        "Analizo los patrones del tráfico rodado.",
        "Ich analysiere die Muster des Straßenverkehrs.",
    )),
    ("milk animals", (
        "I milk cows.",
        "Доя крави.",
        "Αρμέγω αγελάδες.",
        "Mulg vaci.",
        "Ordeño vacas.",
        "Ich melke Kühe.",
    )),
    ("manage staff", (
        "I manage staff.",
        "Управлявам персонал.",
        "Διοικώ προσωπικό.",
        "Gestionez personalul.",
        "Gestiono al personal.",
        "Ich führe Personal.",
    )),
    ("conduct energy audit", (
        "Carried out energy audits of public buildings.",
        "Извършвах енергийни одити на обществени сгради.",
        "Διενήργησα ενεργειακούς ελέγχους σε δημόσια κτίρια.",
        "Am efectuat audituri energetice ale clădirilor publice.",
        "Realicé auditorías energéticas de edificios públicos.",
        "Ich habe Energieaudits öffentlicher Gebäude durchgeführt.",
    )),
    ("use spreadsheets software", (
        "I use spreadsheet software such as Excel every day.",
        "Всеки ден използвам софтуер за електронни таблици като Excel.",
        "Χρησιμοποιώ καθημερινά λογισμικό υπολογιστικών φύλλων όπως το Excel.",
        "Folosesc zilnic programe de calcul tabelar precum Excel.",
        "Uso a diario software de hojas de cálculo como Excel.",
        "Ich nutze täglich Tabellenkalkulationssoftware wie Excel.",
    )),
    ("negotiate terms with suppliers", (
        "Negotiated terms and prices with suppliers.",
        "Договарях условия и цени с доставчиците.",
        "Διαπραγματευόμουν όρους και τιμές με τους προμηθευτές.",
        "Am negociat condiții și prețuri cu furnizorii.",
        "Negocié condiciones y precios con los proveedores.",
        "Ich habe Konditionen und Preise mit Lieferanten verhandelt.",
    )),
    ("plant trees", (
        "I plant trees.",
        "Засаждам дървета.",
        "Φυτεύω δέντρα.",
        "Plantez copaci.",
        "Planto árboles.",
        "Ich pflanze Bäume.",
    )),
    ("translate texts", (
        "I translate texts.",
        "Превеждам текстове.",
        "Μεταφράζω κείμενα.",
        "Traduc texte.",
        "Traduzco textos.",
        "Ich übersetze Texte.",
    )),
    ("lay bricks", (
        "I lay bricks.",
        "Зидам тухли.",
        "Χτίζω με τούβλα.",
        "Zidesc cărămizi.",
        "Coloco ladrillos.",
        "Ich mauere Ziegelsteine.",
    )),
    ("take blood samples", (
        "I take blood samples from patients.",
        "Вземам кръвни проби от пациенти.",
        "Παίρνω δείγματα αίματος από ασθενείς.",
        "Recoltez probe de sânge de la pacienți.",
        "Tomo muestras de sangre a los pacientes.",
        "Ich entnehme Patienten Blutproben.",
    )),
    ("answer incoming calls", (
        "I answer incoming phone calls.",
        "Отговарям на входящи телефонни обаждания.",
        "Απαντώ σε εισερχόμενες τηλεφωνικές κλήσεις.",
        "Răspund la apelurile telefonice primite.",
        "Atiendo llamadas telefónicas entrantes.",
        "Ich nehme eingehende Telefonanrufe entgegen.",
    )),
    ("feed livestock", (
        "I feed livestock.",
        "Храня добитък.",
        "Ταΐζω ζώα εκτροφής.",
        "Hrănesc animalele de fermă.",
        "Alimento al ganado.",
        "Ich füttere Nutzvieh.",
    )),
    ("extinguish fires", (
        "I extinguish fires.",
        "Гася пожари.",
        "Σβήνω πυρκαγιές.",
        "Sting incendii.",
        "Apago incendios.",
        "Ich lösche Brände.",
    )),
    ("operate welding equipment", (
        "I operate welding equipment.",
        "Работя със заваръчно оборудване.",
        "Χειρίζομαι εξοπλισμό συγκόλλησης.",
        "Operez echipamente de sudură.",
        "Manejo equipos de soldadura.",
        "Ich bediene Schweißgeräte.",
    )),
    ("draft press releases", (
        "I write press releases.",
        "Пиша прессъобщения.",
        "Γράφω δελτία τύπου.",
        "Redactez comunicate de presă.",
        "Redacto comunicados de prensa.",
        "Ich schreibe Pressemitteilungen.",
    )),
    ("play the piano", (
        "I play the piano.",
        "Свиря на пиано.",
        "Παίζω πιάνο.",
        "Cânt la pian.",
        "Toco el piano.",
        "Ich spiele Klavier.",
    )),
    ("perform roof maintenance", (
        "I maintain and repair roofs.",
        "Поддържам и ремонтирам покриви.",
        "Συντηρώ και επισκευάζω στέγες.",
        "Întrețin și repar acoperișuri.",
        "Mantengo y reparo tejados.",
        "Ich warte und repariere Dächer.",
    )),
    ("tune bicycles", (
        "I tune bicycles.",
        "Настройвам велосипеди.",
        "Ρυθμίζω ποδήλατα.",
        "Reglez biciclete.",
        "Ajusto bicicletas.",
        "Ich stelle Fahrräder ein.",
    )),
]  # fmt: skip

TUNING_PAIRS: list[tuple[str, tuple[str, str, str, str, str, str]]] = [
    ("drive vehicles", (
        "I drive vehicles for a delivery company.",
        "Шофирам превозни средства за куриерска фирма.",
        "Οδηγώ οχήματα για εταιρεία διανομών.",
        "Conduc vehicule pentru o firmă de livrări.",
        "Conduzco vehículos para una empresa de reparto.",
        "Ich fahre Fahrzeuge für einen Lieferdienst.",
    )),
    ("clean rooms", (
        "I clean hotel rooms.",
        "Почиствам хотелски стаи.",
        "Καθαρίζω δωμάτια ξενοδοχείου.",
        "Curăț camere de hotel.",
        "Limpio habitaciones de hotel.",
        "Ich reinige Hotelzimmer.",
    )),
    ("perform repairs on bicycles", (
        "I repair bicycles in a workshop.",
        "Ремонтирам велосипеди в работилница.",
        "Επισκευάζω ποδήλατα σε συνεργείο.",
        "Repar biciclete într-un atelier.",
        "Reparo bicicletas en un taller.",
        "Ich repariere Fahrräder in einer Werkstatt.",
    )),
    ("sell products", (
        "I sell products to customers in a shop.",
        "Продавам продукти на клиенти в магазин.",
        "Πουλάω προϊόντα σε πελάτες σε κατάστημα.",
        "Vând produse clienților într-un magazin.",
        "Vendo productos a los clientes en una tienda.",
        "Ich verkaufe Kunden in einem Geschäft Produkte.",
    )),
    ("handle customer complaints", (
        "I handle customer complaints.",
        "Обработвам оплаквания на клиенти.",
        "Χειρίζομαι παράπονα πελατών.",
        "Gestionez reclamațiile clienților.",
        "Gestiono las reclamaciones de los clientes.",
        "Ich bearbeite Kundenbeschwerden.",
    )),
    ("train employees", (
        "I train new employees.",
        "Обучавам нови служители.",
        "Εκπαιδεύω νέους υπαλλήλους.",
        "Instruiesc angajații noi.",
        "Formo a los nuevos empleados.",
        "Ich schule neue Mitarbeiter.",
    )),
    ("wash the dishes", (
        "I wash the dishes in a restaurant kitchen.",
        "Мия чиниите в кухнята на ресторант.",
        "Πλένω τα πιάτα στην κουζίνα ενός εστιατορίου.",
        "Spăl vasele în bucătăria unui restaurant.",
        "Lavo los platos en la cocina de un restaurante.",
        "Ich spüle das Geschirr in einer Restaurantküche.",
    )),
    ("use microsoft office", (
        "I use Microsoft Office every day.",
        "Използвам Microsoft Office всеки ден.",
        "Χρησιμοποιώ το Microsoft Office καθημερινά.",
        "Folosesc Microsoft Office în fiecare zi.",
        "Uso Microsoft Office todos los días.",
        "Ich nutze täglich Microsoft Office.",
    )),
    ("prepare financial statements", (
        "I prepare the annual financial statements.",
        "Изготвям годишните финансови отчети.",
        "Συντάσσω τις ετήσιες οικονομικές καταστάσεις.",
        "Întocmesc situațiile financiare anuale.",
        "Elaboro los estados financieros anuales.",
        "Ich erstelle die Jahresabschlüsse.",
    )),
    ("apply hair cutting techniques", (
        "I cut hair in a salon.",
        "Подстригвам коса в салон.",
        "Κόβω μαλλιά σε κομμωτήριο.",
        "Tund părul într-un salon.",
        "Corto el pelo en una peluquería.",
        "Ich schneide Haare in einem Salon.",
    )),
    ("administer prescribed medication", (
        "I give patients their prescribed medication.",
        "Давам на пациентите предписаните им лекарства.",
        "Χορηγώ στους ασθενείς τα φάρμακα που τους έχουν συνταγογραφηθεί.",
        "Administrez pacienților medicamentele prescrise.",
        "Administro a los pacientes la medicación prescrita.",
        "Ich verabreiche Patienten die verordneten Medikamente.",
    )),
    ("install plumbing systems", (
        "I install plumbing systems in new houses.",
        "Монтирам водопроводни инсталации в нови къщи.",
        "Εγκαθιστώ υδραυλικά συστήματα σε νέα σπίτια.",
        "Instalez sisteme sanitare în case noi.",
        "Instalo sistemas de fontanería en casas nuevas.",
        "Ich installiere Sanitäranlagen in Neubauten.",
    )),
    ("issue sales invoices", (
        "I issue sales invoices to clients.",
        "Издавам фактури за продажби на клиенти.",
        "Εκδίδω τιμολόγια πώλησης σε πελάτες.",
        "Emit facturi de vânzare către clienți.",
        "Emito facturas de venta a los clientes.",
        "Ich stelle Kunden Verkaufsrechnungen aus.",
    )),
    ("perform market research", (
        "I perform market research for new products.",
        "Извършвам пазарни проучвания за нови продукти.",
        "Διενεργώ έρευνα αγοράς για νέα προϊόντα.",
        "Efectuez studii de piață pentru produse noi.",
        "Realizo estudios de mercado para nuevos productos.",
        "Ich führe Marktforschung für neue Produkte durch.",
    )),
    ("bake goods", (
        "I bake bread and cakes.",
        "Пека хляб и торти.",
        "Ψήνω ψωμί και κέικ.",
        "Coc pâine și prăjituri.",
        "Horneo pan y pasteles.",
        "Ich backe Brot und Kuchen.",
    )),
    ("manage website", (
        "I manage the company website.",
        "Управлявам уебсайта на компанията.",
        "Διαχειρίζομαι τον ιστότοπο της εταιρείας.",
        "Administrez site-ul web al companiei.",
        "Gestiono el sitio web de la empresa.",
        "Ich betreue die Website des Unternehmens.",
    )),
    ("apply hygiene standards", (
        "I apply hygiene standards at work.",
        "Спазвам хигиенните стандарти в работата.",
        "Εφαρμόζω πρότυπα υγιεινής στην εργασία.",
        "Aplic standardele de igienă la locul de muncă.",
        "Aplico normas de higiene en el trabajo.",
        "Ich wende bei der Arbeit Hygienestandards an.",
    )),
    ("manage air quality", (
        "I monitor and manage air quality in the city.",
        "Наблюдавам и управлявам качеството на въздуха в града.",
        "Παρακολουθώ και διαχειρίζομαι την ποιότητα του αέρα στην πόλη.",
        "Monitorizez și gestionez calitatea aerului în oraș.",
        "Controlo y gestiono la calidad del aire en la ciudad.",
        "Ich überwache und steuere die Luftqualität in der Stadt.",
    )),
    ("understand spoken German", (
        "I understand spoken German.",
        "Разбирам говорим немски език.",
        "Κατανοώ τα προφορικά γερμανικά.",
        "Înțeleg limba germană vorbită.",
        "Entiendo el alemán hablado.",
        "Ich verstehe gesprochenes Deutsch.",
    )),
    ("cook meat dishes", (
        "I cook meat dishes.",
        "Готвя ястия с месо.",
        "Μαγειρεύω πιάτα με κρέας.",
        "Gătesc preparate din carne.",
        "Cocino platos de carne.",
        "Ich koche Fleischgerichte.",
    )),
    ("inspect building systems", (
        "I inspect building systems such as heating and ventilation.",
        "Проверявам сградни инсталации като отопление и вентилация.",
        "Επιθεωρώ τα συστήματα κτιρίων, όπως θέρμανση και αερισμό.",
        "Inspectez instalațiile clădirilor, precum încălzirea și ventilația.",
        "Inspecciono las instalaciones de los edificios, como la calefacción y la ventilación.",
        "Ich prüfe die Gebäudetechnik wie Heizung und Lüftung.",
    )),
    ("apply arc welding techniques", (
        "I weld steel parts with arc welding.",
        "Заварявам стоманени детайли с електродъгово заваряване.",
        "Συγκολλώ χαλύβδινα εξαρτήματα με ηλεκτροσυγκόλληση τόξου.",
        "Sudez piese din oțel prin sudură cu arc electric.",
        "Sueldo piezas de acero con soldadura por arco.",
        "Ich schweiße Stahlteile im Lichtbogenschweißverfahren.",
    )),
    ("assist children with homework", (
        "I help children with their homework.",
        "Помагам на деца с домашните им работи.",
        "Βοηθώ παιδιά με τις σχολικές τους εργασίες.",
        "Ajut copiii la temele pentru acasă.",
        "Ayudo a los niños con los deberes.",
        "Ich helfe Kindern bei den Hausaufgaben.",
    )),
    ("market research", (
        "I analyse consumer surveys to understand the market.",
        "Анализирам потребителски проучвания, за да разбера пазара.",
        "Αναλύω έρευνες καταναλωτών για να κατανοήσω την αγορά.",
        "Analizez sondajele în rândul consumatorilor pentru a înțelege piața.",
        "Analizo encuestas a consumidores para entender el mercado.",
        "Ich werte Verbraucherumfragen aus, um den Markt zu verstehen.",
    )),
]  # fmt: skip


SUBSET_SIZE = 1000
SUBSET_SEED = 20240501


def subset_labels(pairs: Sequence[tuple[str, Sequence[str]]], labels: list[str]) -> list[str]:
    """The candidate set for ``pairs``: every expected skill, every skill sharing its rarest content word (the
    plausible distractors), and a seeded random sample of the rest, ``SUBSET_SIZE`` labels at least."""
    from skills4cities.matching.engine.text import words

    document_frequency: Counter[str] = Counter(word for label in labels for word in set(words(label)))
    expected = {label for label, _sentences in pairs}
    chosen = set(expected)
    for label in expected:
        rarest = min(words(label), key=lambda word: (document_frequency[word], word))
        chosen |= {other for other in labels if rarest in words(other)}
    rest = [label for label in labels if label not in chosen]
    chosen |= set(random.Random(SUBSET_SEED).sample(rest, max(0, SUBSET_SIZE - len(chosen))))
    return sorted(chosen)
