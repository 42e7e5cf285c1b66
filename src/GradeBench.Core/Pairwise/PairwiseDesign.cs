using GradeBench.Core.Adjudication;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Pairwise;

/// <summary>One question asked of every pair in a side-by-side study ("Which answer better reflects clinical
/// consensus?"), answered A, B, tie or, where <see cref="BothUnacceptable"/>, "both unacceptable". <see cref="Question"/>
/// and <see cref="HelpMd"/> are the study language's texts, their translations beside them.</summary>
public sealed record PairwiseAxis(string Id, string Question, string? HelpMd, bool BothUnacceptable)
{
    public Translations QuestionTranslations { get; init; } = Translations.None;

    public Translations HelpTranslations { get; init; } = Translations.None;

    public ShownText QuestionIn(TextLanguages languages) => QuestionTranslations.Show(Question, languages);

    public ShownText? HelpIn(TextLanguages languages) => HelpMd is null ? null : HelpTranslations.Show(HelpMd, languages);

    /// <summary>The criterion the axis's votes are adjudicated as (docs/adjudication.md, "Side-by-side pairs"): nominal,
    /// its values the stored choices (<c>a</c>, <c>b</c>, <c>tie</c>, and <c>both_bad</c> where offered), so that raters'
    /// votes are compared by model, never by the side they saw, and a consensus is checked against what the axis offers.</summary>
    public Criterion AsCriterion() => new(Id, Question, HelpMd, CriterionType.Nominal, Required: true, null, null, [],
        [.. Choices.Select(c => new CriterionOption(PairSides.Text(c), c switch
        {
            PairChoice.A => "Answer A",
            PairChoice.B => "Answer B",
            PairChoice.Tie => "Tie",
            _ => "Both unacceptable",
        }))])
    {
        LabelTranslations = QuestionTranslations,
        HelpTranslations = HelpTranslations,
    };

    /// <summary>What a vote on the axis may be, by model: A, B, a tie, and "both unacceptable" where offered.</summary>
    public IReadOnlyList<PairChoice> Choices => BothUnacceptable ? [PairChoice.A, PairChoice.B, PairChoice.Tie, PairChoice.BothBad] : [PairChoice.A, PairChoice.B, PairChoice.Tie];
}

/// <summary>A reason a rater may tick for their judgement of a pair ("more accurate").</summary>
public sealed record PairwiseReasonTag(string Id, string Label)
{
    public Translations LabelTranslations { get; init; } = Translations.None;

    public ShownText LabelIn(TextLanguages languages) => LabelTranslations.Show(Label, languages);
}

/// <summary>A side-by-side study's design (study.json's <c>pairwise</c>, docs/bundle-format.md): its axes in display
/// order, its reason tags, how many pairs each case gives (null: every pair of models) and how many raters compare each
/// pair.</summary>
public sealed record PairwiseDesign(IReadOnlyList<PairwiseAxis> Axes, IReadOnlyList<PairwiseReasonTag> Reasons, int? PairsPerCase, int RatersPerPair)
{
    public const int DefaultRatersPerPair = 3;

    /// <summary>Whether a pair whose raters disagree on an axis goes to adjudication (study.json's
    /// <c>adjudication.pairwise</c>: <c>"any"</c>, the default, or <c>"never"</c>).</summary>
    public bool Adjudicate { get; init; } = true;

    /// <summary>The rules engine's settings for the pairs of a study (<see cref="AdjudicationTriage"/>): every axis as its
    /// criterion (<see cref="PairwiseAxis.AsCriterion"/>) with the rule <see cref="DisagreementRule.Any"/> when
    /// <paramref name="adjudicate"/>, else <see cref="DisagreementRule.Never"/>; no safety values (a pair raises none).</summary>
    public static AdjudicationSettings RulesFor(IReadOnlyList<PairwiseAxis> axes, bool adjudicate) =>
        new(axes.ToDictionary(a => a.Id, _ => adjudicate ? DisagreementRule.Any : DisagreementRule.Never), []);

    /// <summary>The pairs the bundle names one by one (<c>pairs</c> as a list, what bundle.zip writes for a study that
    /// does not compare every pair); null when they are formed (<see cref="PairFormation"/>).</summary>
    public IReadOnlyList<ListedPair>? ListedPairs { get; init; }
}

/// <summary>A pair study.json names: two response ids, in either order.</summary>
public sealed record ListedPair(string First, string Second)
{
    /// <summary>The line of study.json it is on, for its errors.</summary>
    internal int Line { get; init; }
}

/// <summary>A stored vote: for the pair's answer A (the one whose model comes first in ordinal order), for B, a tie, or
/// both unacceptable. Votes are kept by model so that the side a rater saw is a fact about the assignment alone.</summary>
public enum PairChoice { A, B, Tie, BothBad }

/// <summary>Converts between what a rater saw (left, right) and what is stored (A, B), given whether answer A was shown
/// on the left.</summary>
public static class PairSides
{
    public static PairChoice Stored(PairwiseChoice shown, bool aOnLeft) => shown switch
    {
        PairwiseChoice.Left => aOnLeft ? PairChoice.A : PairChoice.B,
        PairwiseChoice.Right => aOnLeft ? PairChoice.B : PairChoice.A,
        PairwiseChoice.Tie => PairChoice.Tie,
        _ => PairChoice.BothBad,
    };

    public static PairwiseChoice Shown(PairChoice stored, bool aOnLeft) => stored switch
    {
        PairChoice.A => aOnLeft ? PairwiseChoice.Left : PairwiseChoice.Right,
        PairChoice.B => aOnLeft ? PairwiseChoice.Right : PairwiseChoice.Left,
        PairChoice.Tie => PairwiseChoice.Tie,
        _ => PairwiseChoice.BothBad,
    };

    /// <summary>The stored form (<c>a</c>, <c>b</c>, <c>tie</c>, <c>both_bad</c>), as pair_votes.choice holds it.</summary>
    public static string Text(PairChoice choice) => choice switch
    {
        PairChoice.A => "a",
        PairChoice.B => "b",
        PairChoice.Tie => "tie",
        _ => "both_bad",
    };

    public static PairChoice? ParseStored(string? text) => text switch
    {
        "a" => PairChoice.A,
        "b" => PairChoice.B,
        "tie" => PairChoice.Tie,
        "both_bad" => PairChoice.BothBad,
        _ => null,
    };
}
