using GradeBench.Core.Grading;
using GradeBench.Core.Messages;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Rubrics;
namespace GradeBench.Core.Studies;

/// <summary>A study bundle that passed validation: everything an import writes, in file order.</summary>
public sealed record StudyBundle(
    StudyDefinition Study,
    IReadOnlyList<StudyCase> Cases,
    IReadOnlyList<ModelResponse> Responses,
    IReadOnlyList<BundleRating> Ratings)
{
    /// <summary>A side-by-side study's pairs of answers, in their order (none in a study of single answers).</summary>
    public IReadOnlyList<BundlePair> Pairs { get; init; } = [];

    /// <summary>votes.csv's votes, in file order.</summary>
    public IReadOnlyList<BundleVote> Votes { get; init; } = [];
}


public sealed record StudyDefinition(
    string Id,
    string Title,
    string DescriptionMd,
    string InstructionsMd,
    string Language,
    int RatersPerResponse,
    StudyState State,
    bool HideModel,
    bool Shuffle,
    IReadOnlyList<Criterion> Criteria,
    IReadOnlyList<SpanLabel> SpanLabels)
{
    /// <summary>The study's adjudication and safety rules, defaults filled in; null means the defaults.</summary>
    public GradeBench.Core.Adjudication.AdjudicationSettings? Adjudication { get; init; }

    /// <summary>The instructions in languages other than the study's (study.json's map form).</summary>
    public Translations InstructionsTranslations { get; init; } = Translations.None;

    /// <summary>Which responses physicians rate (study.json's <c>human_subset</c>); null: every response.</summary>
    public HumanSubset? HumanSubset { get; init; }

    /// <summary>The design of a side-by-side study (<c>"design": "pairwise"</c>), whose raters compare pairs of answers
    /// and whose <see cref="RatersPerResponse"/> is the raters per pair; null in a study of single answers.</summary>
    public PairwiseDesign? Pairwise { get; init; }

    /// <summary>The labels raters may put on passages of a case's clinical note (study.json's <c>note_labels</c>), in order.</summary>
    public IReadOnlyList<GradeBench.Core.Notes.NoteLabel> NoteLabels { get; init; } = [];

    /// <summary>A note-only study (<c>"design": "annotation"</c>): raters mark passages of each case's note with
    /// <see cref="NoteLabels"/>; there are no answers and no criteria, and <see cref="RatersPerResponse"/> is the raters per case.</summary>
    public bool Annotation { get; init; }
}

public sealed record SpanLabel(string Id, string Label, string? Color)
{
    public Translations LabelTranslations { get; init; } = Translations.None;

    /// <summary>The ids of the rubric criteria the label bears on (<c>criteria</c>), in order; empty: none.</summary>
    public IReadOnlyList<string> Criteria { get; init; } = [];
}

public sealed record StudyCase(
    string Id,
    string Title,
    string? Language,
    IReadOnlyList<string> Tags,
    string PresentationMd,
    string QuestionMd,
    string? ReferenceMd)
{
    /// <summary>The case's own checklist (cases.jsonl's <c>criteria</c>), in the order given; empty: none.</summary>
    public IReadOnlyList<CaseCriterion> Criteria { get; init; } = [];
}

/// <summary>One LLM output to be graded. <see cref="MetaJson"/> is kept verbatim for exports.</summary>
public sealed record ModelResponse(string Id, string CaseId, string Model, string ContentMd, string? MetaJson);

/// <summary>A rating row of ratings.csv: already collected, imported as submitted.</summary>
public sealed record BundleRating(string ResponseId, string Rater, string CriterionId, string Value, string? Comment)
{
    /// <summary>When the rating was first submitted, and last changed (ratings.csv's optional columns); null: the import's time.</summary>
    public DateTimeOffset? FirstSubmitted { get; init; }

    /// <inheritdoc cref="FirstSubmitted"/>
    public DateTimeOffset? LastChanged { get; init; }
}

/// <summary>One problem found in a bundle, printed as <c>file:line: field: message</c>. <see cref="Text"/> is said in each
/// reader's language; the place (file, line, field) is the bundle's own and never translated.</summary>
public sealed record BundleError(string File, int Line, string Field, Message Text)
{
    /// <summary>Not 0 on the last line of a long list: how many more errors were found and not listed.</summary>
    public int Omitted { get; init; }

    /// <summary>The message in English, as the command line and logs print it.</summary>
    public string Message => Text.ToString();

    /// <summary>Every error a list stands for, those it leaves out included.</summary>
    public static int Count(IReadOnlyList<BundleError> errors) => errors.Sum(e => Math.Max(1, e.Omitted));

    public override string ToString() => Omitted > 0 ? Message : $"{File}:{Line}: {Field}: {Message}";
}
