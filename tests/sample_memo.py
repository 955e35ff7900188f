"""A hand-made memo for writer tests that must not depend on the resolver."""

from briefgen.model import BibEntry, Header, Memo, Note, NoteRef, Paragraph, Quote, Section, Span


def sample_memo(placement: str = "endnotes", layout: str = "policy-memo") -> Memo:
    """Return a small but complete memo: prose, claims, quotes, notes, bibliography."""
    svet_full = [
        Span("Ksenia Svetlova, “Hidden Discord in the Russia-Iran Alliance,” "),
        Span("Jerusalem Strategic Tribune", italic=True),
        Span(", June 2024, para. 9, "),
        Span("https://example.org/jst", url="https://example.org/jst"),
        Span("."),
    ]
    kir_full = [
        Span("Kseniya Kirillova, "),
        Span("Europe’s Edge", italic=True),
        Span(", [March 2023?], para. 3."),
    ]
    svet_short = [Span("Svetlova, “Hidden Discord in the Russia-Iran Alliance,” para. 12.")]
    return Memo(
        brief_id="russia-iran-weekly",
        audience_id="analyst",
        header=Header(
            title="Russia–Iran: Weekly Update",
            organisation="Eurasia Desk, Example Policy Institute",
            audience="Analysts",
            to="Director, Eurasia Programme",
            sender="Eurasia Desk",
            date="14 June 2024",
            subject="Limits of the Russia–Iran partnership",
            period="10–16 June 2024 (2024-W24)",
            iso_date="2024-06-14",
            keywords=["drones", "economy", "military"],
        ),
        sections=[
            Section(
                "Bottom line",
                [
                    Paragraph([Span("The partnership delivers arms, not trade.")]),
                    Paragraph(
                        [
                            Span(
                                "According to Ukrainian military launch data, the Alabuga plant had "
                                "delivered about 4,500 of the 6,000 Shahed drones promised."
                            ),
                            NoteRef(1),
                        ],
                        kind="claim",
                        claim_id="shahed-deliveries-2024-04",
                        portion="P",
                        confidence="moderate confidence",
                        quotes=[
                            Quote(
                                "has already supplied approximately 4500 of the promised 6000 "
                                "drones as of late April 2024",
                                "Svetlova, para. 9",
                            )
                        ],
                    ),
                    Paragraph(
                        [Span("Two-way trade fell to around $4 billion in 2023."), NoteRef(2)],
                        kind="claim",
                        claim_id="trade-2023",
                        portion="P",
                        confidence="high confidence",
                        remarks=[[Span("Sources differ: "), Span("see note 2.")]],
                    ),
                ],
            ),
            Section(
                "Background",
                [
                    Paragraph(
                        [
                            Span(
                                "Moscow and Tehran drew closer before 2022. Sanctions then pushed "
                                "them together."
                            ),
                            NoteRef(3),
                        ],
                        portion="I",
                    )
                ],
            ),
        ],
        notes=[
            Note(1, svet_full, ["shahed-deliveries-2024-04"]),
            Note(2, kir_full, ["trade-2023"]),
            Note(3, svet_short, ["most-sanctioned-states"]),
        ],
        bibliography=[
            BibEntry(
                "kirillova-cepa-2023",
                [
                    Span("Kirillova, Kseniya. "),
                    Span("Europe’s Edge", italic=True),
                    Span(", [March 2023?]."),
                ],
            ),
            BibEntry(
                "svetlova-jst-2024",
                [
                    Span("Svetlova, Ksenia. “Hidden Discord in the Russia-Iran Alliance.” "),
                    Span("Jerusalem Strategic Tribune", italic=True),
                    Span(", June 2024."),
                ],
            ),
        ],
        banner="INTERNAL",
        note_placement=placement,  # type: ignore[arg-type]
        layout=layout,  # type: ignore[arg-type]
        summary=[
            "This memo rests on 2 sources (2 magazine articles), dated March 2023 to June 2024."
        ],
        omitted={"above-marking": 1},
    )
