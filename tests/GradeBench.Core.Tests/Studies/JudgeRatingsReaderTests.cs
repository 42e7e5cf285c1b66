using System.Text;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Studies;

public sealed class JudgeRatingsReaderTests
{
    static readonly Criterion[] Rubric =
    [
        new("overall", "Overall", null, CriterionType.Likert, true, 1, 5, [], []),
        new("comment", "Comment", null, CriterionType.Text, false, null, null, [], []),
    ];

    static readonly HashSet<string> Responses = ["r1", "r2"];

    static (IReadOnlyList<JudgeRating> Ratings, IReadOnlyList<BundleError> Errors) Read(string csv, bool bom = false) =>
        JudgeRatingsReader.Read("judge.csv", [.. (bom ? "\uFEFF"u8.ToArray() : []), .. Encoding.UTF8.GetBytes(csv)], Rubric, Responses);

    [Fact]
    public void ValuesAreCanonicalAndExplanationsKeptAsWrittenOverCrlfAndAByteOrderMark()
    {
        var (ratings, errors) = Read("response_id,criterion,value,explanation\r\nr1,overall, +4 ,\"Two lines:\r\nfine\"\r\nr2,overall,3,\r\n", bom: true);

        Assert.Empty(errors);
        Assert.Equal([new JudgeRating(2, "r1", "overall", "4", "Two lines:\nfine"), new JudgeRating(4, "r2", "overall", "3", null)], ratings);
    }

    [Fact]
    public void ABlankFreeTextValueIsNoValue()
    {
        var (ratings, errors) = Read("response_id,criterion,value\nr1,comment,\nr1,overall,5\n");

        Assert.Empty(errors);
        Assert.Equal([new JudgeRating(3, "r1", "overall", "5", null)], ratings);
    }

    [Fact]
    public void AnUnknownCriterionIsNamed() =>
        Assert.Equal(["judge.csv:2: criterion: unknown criterion \"comment2\""], Read("response_id,criterion,value\nr1,comment2,x\n").Errors.Select(e => e.ToString()));

    [Theory]
    [InlineData("response_id,criterion,score\n", "judge.csv:1: header: must be response_id,criterion,value or response_id,criterion,value,explanation, got response_id,criterion,score")]
    [InlineData("", "judge.csv:0: header: file is empty")]
    [InlineData("response_id,criterion,value\nr1,overall\n", "judge.csv:2: csv: expected 3 columns, found 2")]
    public void AFileThatIsNotTheFormatSaysWhere(string csv, string error) =>
        Assert.Equal([error], Read(csv).Errors.Select(e => e.ToString()));

    [Fact]
    public void AnExplanationLongerThanAFreeTextValueIsRefused() =>
        Assert.Equal(["judge.csv:2: explanation: longer than 10000 characters"],
            Read($"response_id,criterion,value,explanation\nr1,overall,4,{new string('x', Criterion.MaxTextLength + 1)}\n").Errors.Select(e => e.ToString()));
}
