using System.Text.Json;
using GradeBench.Core.Agreement;
using GradeBench.Core.Notes;

namespace GradeBench.Core.Tests.Notes;

/// <summary>Reading gold-spans.csv back: its rows as the export writes them, and a malformed row named by line and field.</summary>
public sealed class GoldSpansCsvTests
{
    const string Header = "study,case_id,label,start,end,text_sha256,quote,attributes,decision,decided_by,decided_at,source_raters";
    static readonly string Sha = new('a', 64);

    static string Gold(string row) => $"{Header}\n{row}\n";

    static string Row(string passage = "nihss,2,9", string quote = "左侧肢体无力", string attributes = "\"{\"\"negated\"\":true,\"\"score\"\":7.5,\"\"onset\"\":\"\"3 h\"\"}\"",
        string decision = "accepted", string at = "2026-12-02T10:00:00.0000000Z", string raters = "\"[\"\"dr-li\"\",\"\"dr-ma\"\"]\"", string sha = "") =>
        $"s,case-1,{passage},{(sha.Length > 0 ? sha : Sha)},{quote},{attributes},{decision},coord,{at},{raters}";

    [Fact]
    public void ARowIsReadAsTheExportWritesIt()
    {
        var records = GoldSpansCsv.Read(new StringReader(Gold(Row()) + Row(",,", "", "{}", "rejected") + "\n"));

        var (gold, rejected) = (records[0], records[1]);
        Assert.Equal((2, "case-1", "nihss", 2, 9, "左侧肢体无力", "accepted", "coord"),
            (gold.Line, gold.CaseId, gold.Label, gold.Start!.Value, gold.End!.Value, gold.Quote, gold.Decision, gold.DecidedBy));
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero), gold.DecidedAt);
        Assert.Equal(["dr-li", "dr-ma"], gold.SourceRaters);
        Assert.Equal((JsonValueKind.True, "true"), gold.Attributes["negated"]);
        Assert.Equal((JsonValueKind.Number, "7.5"), gold.Attributes["score"]);
        Assert.Equal((JsonValueKind.String, "3 h"), gold.Attributes["onset"]);
        Assert.Equal((3, null, null, null, "rejected"), (rejected.Line, rejected.Label, rejected.Start, rejected.Quote, rejected.Decision));
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { Row(decision: "maybe"), "decision: \"maybe\" is not one of accepted, edited, rejected" },
        { Row(passage: "nihss,9,2"), "end: 2 is not after start 9" },
        { Row(passage: "nihss,-1,2"), "start: \"-1\" is not a whole number of code points" },
        { Row(passage: ",2,9"), "label: empty" },
        { Row(quote: ""), "quote: empty" },
        { Row(attributes: "\"{\"\"negated\"\":false}\""), "attributes: negated: false is not true (a set flag; one not set is left out), a number or a string" },
        { Row(attributes: "[1]"), "attributes: must be a JSON object" },
        { Row(attributes: "{"), "attributes: malformed JSON" },
        { Row(decision: "rejected"), "label: a rejection has no passage; leave it empty" },
        { Row(at: "2026-12-02 10:00"), "decided_at: \"2026-12-02 10:00\" is not an ISO 8601 time with its offset" },
        { Row(at: "2026-12-02T10:00:00"), "decided_at: \"2026-12-02T10:00:00\" is not an ISO 8601 time with its offset" },
        { Row(raters: "dr-li"), "source_raters: dr-li is not a JSON array of usernames" },
        { Row(sha: "ABC"), "text_sha256: \"ABC\" is not a SHA-256 in lowercase hex (64 digits)" },
        { Row() + ",extra", "expected 12 fields, found 13" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void AMalformedRowIsNamedByLineAndField(string row, string expected)
    {
        var refused = Assert.Throws<RatingsCsvException>(() => GoldSpansCsv.Read(new StringReader(Gold(row))));

        Assert.Equal(2, refused.Line);
        Assert.StartsWith(expected, refused.Message);
    }

    [Fact]
    public void AHeaderWithoutTheColumnsIsRefused()
    {
        var refused = Assert.Throws<RatingsCsvException>(() => GoldSpansCsv.Read(new StringReader("case_id,label\n")));

        Assert.Equal(1, refused.Line);
        Assert.StartsWith("header must name the columns case_id,label,start,end,text_sha256,quote,attributes,decision,decided_by,decided_at,source_raters", refused.Message);
    }
}
