"""The importer on the bundled report, field by field; expectations copied from reading the report."""

from __future__ import annotations

import pytest

from store.report.reader import bundled_report_path, read_report

DELAYED = "Implementation of activities will be delayed."
WORK_PLAN_FAO = (
    "A work plan was developed together with the FAO-side of the Rotterdam Convention secretariat."
)

# code: (title, section, section title, [rows]); a row is
# (requests, status, next_steps, funding_lines, implications, needed, status)
EXPECTED = {
    "S1": (
        "Tools for implementing conventions",
        "I",
        "Technical assistance",
        [
            (
                [
                    "The secretariat to develop and upgrade toolkits and electronic training tools, including "
                    "tools for POPs wastes, pesticides and industrial chemicals"
                ],
                [WORK_PLAN_FAO, "Actions defined until June 2013."],
                ["Implementation of the work plan."],
                ["Yes", "Not yet funded."],
                [DELAYED],
                "yes",
                "not_yet",
            )
        ],
    ),
    "S2": (
        "Capacity building at the regional level",
        "I",
        "Technical assistance",
        [
            (
                [
                    "The secretariat to:",
                    "Implement training activities to assist parties in developing coherent project proposals "
                    "and inform them about resource mobilization techniques and funds available",
                    "Establish a network of regional experts",
                    "Provide training on the use of technical/policy guidance",
                    "Enhance capacity to develop legal frameworks, enforcement, etc.",
                ],
                [WORK_PLAN_FAO],
                ["Implementation of the work plan."],
                ["Yes", "Partly funded, however transfer of funds is pending."],
                [DELAYED],
                "yes",
                "partly",
            )
        ],
    ),
    "S3": (
        "Support for capacity building at the national level",
        "I",
        "Technical assistance",
        [
            (
                [
                    "The secretariat to implement national projects on coordinated implementation of the three conventions"
                ],
                [
                    "Workplan developed together with FAO part of the secretariat.",
                    "A project was developed to assist three country parties to develop plans for the coordinated "
                    "implementation of the Basel, Rotterdam and Stockholm Conventions.",
                ],
                ["Implementation of three national projects."],
                ["Yes", "Partly funded, however only partial funding has been transferred."],
                [DELAYED],
                "yes",
                "partly",
            )
        ],
    ),
    "S4": (
        "Develop partnerships with other multilateral environmental agreements (MEAs)",
        "I",
        "Technical assistance",
        [
            (
                [
                    "The secretariat to develop/ implement a plan to identify strategic partnerships with other MEAs"
                ],
                [
                    "A work plan for the identification and development of strategic partnerships with other MEAs is developed."
                ],
                ["The work plan is being implemented"],
                ["No"],
                ["N/A"],
                "no",
                "none",
            ),
            (
                [
                    "The Basel and Stockholm convention regional centres to implement the ODS-POPs disposal project in "
                    "their regions with the support of the secretariat, UNEP, donors and participating countries"
                ],
                [
                    "A regional stakeholder workshop was held on 29-31 March 2012 in San Salvador, El Salvador to "
                    "kick-off the ODS/POPs destruction management project in the six Central American participating countries."
                ],
                [
                    "National action plans in six Central American countries are under development until December 2012.",
                    "Disposal operations will be conducted in 2013.",
                ],
                ["Yes", "Fully funded in 2012; partly funded in 2013."],
                ["Activities related to disposal operations might be delayed."],
                "yes",
                "mixed",
            ),
        ],
    ),
    "S5": (
        "Working with regional liaison offices in regions in collaboration with key partners",
        "I",
        "Technical assistance",
        [
            (
                ["Actions to be undertaken by UNEP chemicals/ wastes MEAs focal points"],
                [
                    "This decision is jointly implemented with decision S8 on Cooperation and collaboration between "
                    "regional centers and UNEP and FAO regional offices."
                ],
                [],
                ["No"],
                ["N/A"],
                "no",
                "none",
            )
        ],
    ),
    "S6": (
        "Support the work of and coordination between the scientific bodies of the conventions and "
        "identify common issues and linkages between the conventions",
        "II",
        "Scientific and technical activities",
        [
            (
                [
                    "The secretariat to work with scientific committees to tackle common issues that hamper their work",
                    "The secretariat to study/review linkages between conventions and identify cross-cutting technical "
                    "issues on which cooperation needs to be developed",
                    "The secretariat to establish a roster of experts relevant to the work of the scientific bodies of "
                    "the conventions",
                ],
                [
                    "A project has been developed to support the work of and coordination between the scientific "
                    "bodies of the conventions."
                ],
                [
                    "Provide technical and policy support to the scientific bodies of the conventions, facilitate the "
                    "exchange and sharing of relevant information between themselves and with other relevant "
                    "intergovernmental processes,",
                    "Study and review linkages and potential cooperation between the scientific bodies of the conventions,",
                    "Establish a roster of experts and an alumni website, undertake training, and develop joint "
                    "scientific and technical documents/ guidance, as required.",
                ],
                ["Yes", "Partly funded, however transfer of funds is pending."],
                [DELAYED],
                "yes",
                "partly",
            )
        ],
    ),
    "S7": (
        "POPs waste guidelines update",
        "II",
        "Scientific and technical activities",
        [
            (
                [
                    "The secretariat to facilitate the update of the technical guidelines on the environmentally "
                    "sound management of POPs wastes for the new POPs",
                    "The secretariat to provide technical/ scientific guidance to parties to the Basel and Stockholm "
                    "conventions to address new POPs wastes",
                    "The secretariat to provide policy guidance and technical information to parties to the two "
                    "conventions to assist them to manage chemicals and wastes following a life-cycle approach",
                ],
                [
                    "In line with decision BC-10/9, a proposed work programme for updating the POPs technical "
                    "guidelines has been developed by the small intersessional working group (SIWG) under the "
                    "leadership of Canada.",
                    "Comments on the proposed work programme were invited from parties by 15 May 2012.",
                    "The documents referred to in paragraph 5 of decision SC-5/9 (i.e. POPRC recommendations on BDEs "
                    "and PFOS) have been made available to the appropriate bodies of the Basel Convention.",
                ],
                [
                    "The Basel convention Open-ended Working Group will consider the proposed work programme at its "
                    "eight meeting in September 2012.",
                    "Implement the work programme approved by OEWG-8.",
                ],
                [
                    "Yes, if no lead countries have been identified for the further development of technical "
                    "guidelines (a lead country has been identified for updating the general technical guidelines "
                    "for POPs wastes and the specific technical guidelines for PFOS wastes).",
                    "Not yet funded.",
                ],
                ["Possible delay in updating or developing technical guidelines for new POPs."],
                "conditional",
                "not_yet",
            )
        ],
    ),
    "S8": (
        "Cooperation and cooperation between regional centers and UNEP/ FAO regional offices: annual "
        "joint meetings",
        "III",
        "Regional centres",
        [
            (
                [
                    "The secretariat to organize annual meetings of Basel and Stockholm convention regional centres "
                    "and FAO /UNEP regional offices"
                ],
                [
                    "A roadmap for the joint meeting has been prepared and discussion is underway to finalize the agenda, etc."
                ],
                [
                    "An annual joint meeting of the directors/ coordinators of the Basel and Stockholm convention "
                    "regional centres and the FAO/UNEP regional officers is planned to be organized on 1-3 October "
                    "2012 in Geneva, Switzerland.",
                    "A series of webinars have been launched on a regional basis in order to start implementing the mandate.",
                ],
                ["Yes", "Partly funded."],
                ["Organization of the annual joint meeting will be impacted."],
                "yes",
                "partly",
            )
        ],
    ),
    "S9": (
        "South-South cooperation",
        "III",
        "Regional centres",
        [
            (
                [
                    "To enhance cooperation between regional centres, through exchange of experience, successes and "
                    "strategic alliances between regional centres and parties for the joint implementation of the conventions"
                ],
                [
                    "This activity is being implemented as part of the road map mentioned in S8.",
                    "A series of webinars on specific topics will be held to discuss cooperation in technical areas. "
                    "Webinars on the guidance documents for updating NIPs are scheduled until August 2012.",
                ],
                [
                    "Conduct relevant webinars.",
                    "Other activities, as presented in the roadmap under S8.",
                ],
                ["Yes", "Not yet funded."],
                ["Implementation of the road map will be delayed."],
                "yes",
                "not_yet",
            )
        ],
    ),
    "S10": (
        "Clearing-house mechanism",
        "IV",
        "Clearing-house mechanism",
        [
            (
                [
                    "The secretariat to develop cross-cutting packages",
                    "The secretariat to continue to develop the joint-clearing house mechanism",
                    "The secretariat to continue to provide maintenance and develop the conventions' websites",
                ],
                [
                    "The development of information packages is ongoing (e.g. map of ratification status).",
                    "The drafting of the guidance document for the development of the clearing-house mechanism "
                    "regional and national nodes is ongoing. A group was set up to develop the guidance document: "
                    "e.g. agreed on the table of contents, the technology and the information architecture to be used.",
                    "The integration of the three websites into the clearing-house mechanism has been completed. The "
                    'website "Synergies among the Basel, Rotterdam and Stockholm conventions" has been launched.',
                    "The integration of Rotterdam Document Management System and Collaborative platform (PIC Social) "
                    "has been completed. The integration of Basel Document Management System is in progress.",
                    # The continuation row after the page break: its own bullet, appended in the same column.
                    "The information pertaining to the three conventions is being posted on InforMEA web portal.",
                ],
                [
                    "The secretariat will continue developing information packages, as requested in the decision.",
                    "The group continues to provide feedback on other substantive aspects of the guidance document "
                    "until its finalization.",
                    "The secretariat will continue updating existing web sites with internal resources.",
                    "The secretariat will re-draft the plan presented in Annex III of the synergies decisions, taking "
                    "into account the resources available to cover the maintenance of existing systems and tools.",
                ],
                ["Yes", "Not yet funded."],
                ["Full implementation of the activities will be delayed."],
                "yes",
                "not_yet",
            )
        ],
    ),
    "S11": (
        "Joint information technology services",
        "IV",
        "Clearing-house mechanism",
        [
            (
                [
                    "The secretariat to provide the basic information technology and services required"
                ],
                [
                    "The local area networks, including servers, workstations, internet lines and security aspects "
                    "have been integrated into one single network."
                ],
                [
                    "The integration of all e-mail addresses into the unep.org domain, the integration of contacts "
                    "database, document management system (m-files) and the introduction of a unified correspondence "
                    "tracking system have started."
                ],
                ["Yes", "Not yet funded."],
                ["Full implementation of the activities may be delayed."],
                "yes",
                "not_yet",
            )
        ],
    ),
    "S12": (
        "Joint communication outreach",
        "V",
        "Public awareness, outreach and publications",
        [
            (
                [
                    "The secretariat to develop outreach materials (press releases, information materials)"
                ],
                # A sentence cut by a page break, joined back into one line.
                [
                    "The secretariat published 3 press releases, participated in 2 UNOG press events (Geneva), "
                    "prepared ED speaking notes & Pan-African Forum press event (Nairobi), contributed MEAs & "
                    "synergies milestones (UNEP GC/GMEF, Nairobi), assisted w/ outreach articles (UNEP 2011 Annual "
                    "Report, Basel Bulletin, Chemicals Watch, Journal of Epidemiology & Community Health, Atmospheric "
                    "Pollution Research) and developed PAO/Publications section on Synergies BRS website."
                ],
                ["Continue to implement relevant outreach and public awareness activities."],
                ["No"],
                ["N/A"],
                "no",
                "none",
            )
        ],
    ),
    "S13": (
        "Joint outreach & public information",
        "V",
        "Public awareness, outreach and publications",
        [
            (
                [
                    "The secretariat to undertake joint-public awareness and outreach activities (organisation of "
                    "events, safe planet, etc.)"
                ],
                [
                    "The secretariat revised its public awareness & outreach strategy, liaised w/ Safe Planet Campaign "
                    "(IOC & Youth Olympics, Innsbruck, Austria; NIOMR/IPEN campaign, Lagos, Nigeria; Educational "
                    "outreach workshop, Ojai, USA) and Respect Music Festival, Prague, Czech Republic; Art Dialogue & "
                    "Federal University of Rio de Janeiro at Rio+20) and World Environment Day 2012 joint outreach "
                    "with UNEP Chemicals and ROE."
                ],
                ["Continue to implement relevant outreach and public awareness activities."],
                ["Yes", "Not yet funded."],
                [
                    "Reliance on convention websites & social media for global outreach; Safe Planet Campaign & other "
                    "partnerships for national & local outreach; in situ outreach by Secretariat limited to local "
                    "(i.e. Geneva-region) meetings & events; External (non-Trust Fund) resource mobilization by "
                    "participating organizations & partners."
                ],
                "yes",
                "not_yet",
            )
        ],
    ),
    "S14": (
        "Publications",
        "V",
        "Public awareness, outreach and publications",
        [
            (
                [
                    "The secretariat to meet publication production needs",
                    "The secretariat to coordinate, plan, edit, produce, and distribute publications, etc.",
                ],
                [
                    "The publication: Synergies Decisions: 2005-2011 was made available in March 2012."
                ],
                [
                    "The following publications are being developed: the rules of procedure of the Basel, Rotterdam "
                    "and Stockholm conventions, Results of the UNEP/WHO human milk survey, and Stockholm Convention "
                    "Success Stories: 2001-2011."
                ],
                ["No"],
                ["N/A"],
                "no",
                "none",
            )
        ],
    ),
    "S15": (
        "Reporting",
        "VI",
        "Reporting",
        [
            (
                [
                    "The secretariat to review reporting systems of both conventions and identify possible areas for streamlining",
                    "The secretariat to analyze the electronic reporting systems in place",
                    "The secretariat to develop guidance document(s) for information collection/reporting",
                    "The secretariat to organize regional capacity-building workshops",
                ],
                [
                    "This decision is jointly being implemented with SC-5/16.",
                    "A review of the reporting systems of both conventions, identifying possible areas for "
                    "streamlining has already taken place and is described in document UNEP/CHW.10/INF/48.",
                    "The analysis of the electronic reporting systems is under progress, identifying ways to improve "
                    "them and implement changes required to allow for more similar national reporting under both conventions.",
                ],
                [
                    "The secretariat to implement the changes that have been identified for both electronic reporting systems.",
                    "The secretariat will initiate in the following months a working group with some parties to "
                    "discuss the development of a guidance document for information collection and reporting for both "
                    "conventions.",
                    "After the two national reporting systems become more similar, the secretariat will organize "
                    "regional capacity-building workshops on national reporting encompassing both conventions. This "
                    "should take place only at the end of 2013 and early 2014 to be near to the next cycle of "
                    "reporting of the Stockholm Convention.",
                ],
                [
                    "Yes for activities described in the 1st and 3rd bullets under “Next steps”.",
                    "Partly funded for activities described in the 1st bullet.",
                    "Not yet funded for activities described in the 3rd bullet.",
                ],
                [DELAYED],
                "yes",
                "mixed",
            )
        ],
    ),
    "S16": (
        "Resource mobilization",
        "VII",
        "Overall management",
        [
            (
                [
                    "The secretariat to develop and implement joint resource mobilization (RM) and fund-raising strategies",
                    "The secretariat to undertake donor and partner profiling and to set up an information database",
                    "The secretariat to monitor and report in compliance with donor requirements, etc.",
                ],
                [
                    "Joint RM strategy/ Standard Operating Procedures have been developed for the secretariat, "
                    "including the Rome part of the Rotterdam Convention secretariat.",
                    "A RM Focal point has been established to oversee/monitor the implementation of the RM strategy.",
                    "The secretariat has also established a RM database to track donor funding for projects, "
                    "reporting deadlines and expenditures.",
                ],
                [],
                ["No"],
                ["N/A"],
                "no",
                "none",
            )
        ],
    ),
    "S17": (
        "Review arrangements",
        "VII",
        "Overall management",
        [
            (
                [
                    "The secretariat to prepare and send a questionnaire to collect information from parties to the "
                    "conventions, as set out in annex IV of decision SC-5/27, by 30 April 2012",
                    "The secretariat to cooperate with the UNEP and FAO evaluation offices and, if feasible, to "
                    "develop a consolidated survey instrument",
                    "The secretariat to collect responses from parties by 31 August 2012 and develop a report by 31 December 2012",
                    "The secretariat to publish the report on how far the arrangements have contributed to achieving "
                    "the synergies objectives 90 days before the 1st COP in 2013",
                ],
                [
                    "The questionnaire to be used by the secretariat to collect information from parties has been "
                    "developed and translated in all UN languages.",
                    "Through cooperation with UNEP and FAO evaluations offices, a joint secretariat / UNEP/FAO "
                    "questionnaire was developed.",
                    "The questionnaire was sent to parties on 21 May 2012.",
                    "The synergies website was updated so parties have access to the information they need to fill "
                    "the questionnaire.",
                    "The secretariat provided support to UNEP/ FAO evaluation units so as to conduct the FAO/UNEP "
                    "part of the review arrangements (information, arrangement of interviews with secretariat staff "
                    "and hosting of the two consultants in the secretariat between 25 April and 2 May 2012).",
                ],
                [
                    "The secretariat to collect responses from parties by 31 August 2012 and to prepare its report "
                    "by 31 December 2012."
                ],
                ["No"],
                ["N/A"],
                "no",
                "none",
            )
        ],
    ),
}


@pytest.fixture(scope="module")
def report():
    return read_report(bundled_report_path())


def test_codes_in_report_order(report):
    assert [a.code for a in report.activities] == [f"S{i}" for i in range(1, 18)]


def test_sections(report):
    assert [(s.number, s.title) for s in report.sections] == [
        ("I", "Technical assistance"),
        ("II", "Scientific and technical activities"),
        ("III", "Regional centres"),
        ("IV", "Clearing-house mechanism"),
        ("V", "Public awareness, outreach and publications"),
        ("VI", "Reporting"),
        ("VII", "Overall management"),
    ]


@pytest.mark.parametrize("code", list(EXPECTED))
def test_activity_field_by_field(report, code):
    title, section, section_title, rows = EXPECTED[code]
    activity = next(a for a in report.activities if a.code == code)
    assert activity.title == title
    assert (activity.section, activity.section_title) == (section, section_title)
    assert len(activity.rows) == len(rows)
    for got, want in zip(activity.rows, rows, strict=True):
        requests, status, next_steps, funding_lines, implications, needed, fstatus = want
        assert list(got.requests) == requests
        assert list(got.status) == status
        assert list(got.next_steps) == next_steps
        assert list(got.funding_lines) == funding_lines
        assert list(got.implications) == implications
        assert got.funding.needed == needed
        assert got.funding.status == fstatus


def test_funding_groups(report):
    by_status: dict[str, list[str]] = {}
    for a in report.activities:
        by_status.setdefault(a.funding_status, []).append(a.code)
    assert by_status["not_yet"] == ["S1", "S7", "S9", "S10", "S11", "S13"]
    assert by_status["partly"] == ["S2", "S3", "S6", "S8"]
    assert by_status["none"] == ["S5", "S12", "S14", "S16", "S17"]
    assert by_status["mixed"] == ["S4", "S15"]
    s4 = report.activities[3]
    assert [r.funding.status for r in s4.rows] == ["none", "mixed"]
    assert [(p.status, p.words) for p in s4.rows[1].funding.parts] == [
        ("fully", "Fully funded in 2012"),
        ("partly", "partly funded in 2013"),
    ]
    s15 = report.activities[14]
    assert [p.status for p in s15.rows[0].funding.parts] == ["partly", "not_yet"]


def test_the_toc_lists_every_activity_under_its_section(report):
    assert [(num, code) for num, _, code in report.toc] == [
        (a.section, a.code) for a in report.activities
    ]
    assert report.toc[10][1] == "Joint Information Technology"  # the TOC's own wording


def test_footnote_and_title(report):
    assert report.title.startswith("Status report on the implementation of the joint-activities")
    assert report.title.endswith("adopted in 2011")  # footnote mark dropped
    assert report.footnotes[0].startswith("Decisions SC-5/27 of the Conference of the Parties")
