using GradeBench.Core.Adjudication;
using static GradeBench.Core.Tests.Adjudication.AdjudicationRulesTests;

namespace GradeBench.Core.Tests.Adjudication;

public sealed class ConsensusSuggestionTests
{
    [Fact]
    public void NominalSuggestsTheMostFrequentValue() =>
        Assert.Equal(new Suggestion("knowledge", SuggestionKind.Majority), ConsensusSuggestion.Suggest(Kind, ["knowledge", "reasoning", "knowledge"]));

    [Fact]
    public void ANominalTieSuggestsNothing()
    {
        Assert.Null(ConsensusSuggestion.Suggest(Kind, ["knowledge", "reasoning"]));
        Assert.Null(ConsensusSuggestion.Suggest(Kind, ["knowledge", "reasoning", "none"]));
        Assert.Null(ConsensusSuggestion.Suggest(Hallucination, ["true", "false"]));
    }

    [Fact]
    public void BinaryIsNominal() =>
        Assert.Equal(new Suggestion("false", SuggestionKind.Majority), ConsensusSuggestion.Suggest(Hallucination, ["true", "false", "false"]));

    [Fact]
    public void OrdinalSuggestsTheMedianByOptionOrderNotByFrequency() =>
        // "none" is the most frequent, but the middle of none, none, mild, severe, severe is mild.
        Assert.Equal(new Suggestion("mild", SuggestionKind.Median), ConsensusSuggestion.Suggest(Harm, ["severe", "none", "mild", "none", "severe"]));

    [Fact]
    public void AnEvenCountWhoseMiddleValuesDifferSuggestsNothing()
    {
        Assert.Null(ConsensusSuggestion.Suggest(Harm, ["none", "severe"]));
        Assert.Null(ConsensusSuggestion.Suggest(Likert, ["2", "3", "4", "5"]));
    }

    [Fact]
    public void AnEvenCountWhoseMiddleValuesAgreeSuggestsThem()
    {
        Assert.Equal(new Suggestion("mild", SuggestionKind.Median), ConsensusSuggestion.Suggest(Harm, ["none", "mild", "mild", "severe"]));
        Assert.Equal(new Suggestion("3", SuggestionKind.Median), ConsensusSuggestion.Suggest(Likert, ["1", "3", "3", "5"]));
    }

    [Fact]
    public void LikertIsOrdinalByItsPoints() =>
        Assert.Equal(new Suggestion("4", SuggestionKind.Median), ConsensusSuggestion.Suggest(Likert, ["5", "1", "4"]));

    [Fact]
    public void NumericTakesTheMeanOfTheTwoMiddleValues()
    {
        Assert.Equal(new Suggestion("62.5", SuggestionKind.Median), ConsensusSuggestion.Suggest(Confidence, ["50", "75"]));
        Assert.Equal(new Suggestion("60", SuggestionKind.Median), ConsensusSuggestion.Suggest(Confidence, ["100", "60", "0"]));
    }

    [Fact]
    public void TheNumericMedianIsTheExactMidpointAsWritten()
    {
        // (0.1 + 0.2)/2 is 0.15; in doubles 0.15000000000000002, which an adjudicator would have to retype.
        Assert.Equal(new Suggestion("0.15", SuggestionKind.Median), ConsensusSuggestion.Suggest(Confidence, ["0.2", "0.1"]));
        Assert.Equal(new Suggestion("0.35", SuggestionKind.Median), ConsensusSuggestion.Suggest(Confidence, ["0.3", "0.4", "0", "1"]));
    }

    [Fact]
    public void OneRaterSuggestsTheirValue()
    {
        Assert.Equal(new Suggestion("reasoning", SuggestionKind.Majority), ConsensusSuggestion.Suggest(Kind, ["reasoning"]));
        Assert.Equal(new Suggestion("severe", SuggestionKind.Median), ConsensusSuggestion.Suggest(Harm, ["severe"]));
    }

    [Fact]
    public void MissingAndOffScaleValuesAreLeftOut()
    {
        Assert.Equal(new Suggestion("mild", SuggestionKind.Median), ConsensusSuggestion.Suggest(Harm, [null, "", "mild", "grave"]));
        Assert.Equal(new Suggestion("2", SuggestionKind.Median), ConsensusSuggestion.Suggest(Likert, ["2", "9", "NA"]));
        Assert.Null(ConsensusSuggestion.Suggest(Kind, [null, "", "n/a"]));
        Assert.Null(ConsensusSuggestion.Suggest(Harm, []));
    }

    [Fact]
    public void TextIsNeverSuggested() => Assert.Null(ConsensusSuggestion.Suggest(Comment, ["same", "same"]));

    [Fact]
    public void ValuesDifferWhenTwoGivenValuesAreNotTheSame()
    {
        Assert.True(ConsensusSuggestion.Differ(Likert, ["3", "4"]));
        Assert.False(ConsensusSuggestion.Differ(Likert, ["3", "3", null, ""]));
        Assert.False(ConsensusSuggestion.Differ(Harm, ["mild"]));
        Assert.False(ConsensusSuggestion.Differ(Comment, ["fine", "dangerous"]));
    }
}
