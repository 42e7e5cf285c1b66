using System.Text.Json;

namespace GradeBench.Cli.Tests.Spans;

public sealed class SpanAgreementCommandTests : IDisposable
{
    readonly CliWorkspace _workspace = new();

    string WriteJsonl(string name, string text)
    {
        var path = _workspace.PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>note-1, read by dr-li and dr-wu and by dr-ma, who marked nothing: Drug [0,5) by both (exact), [10,15)
    /// and [12,18) (overlap only); Dose [20,25) against [10,15) (given twice, counted once) and [30,35): no match. Drug:
    /// 1 exact and 2 overlap matches of 2 + 2 (li, wu), 2 + 0 and 2 + 0 spans: 2/8 and 4/8; Dose: 0 of 3 + 1 + 2.
    /// note-2 is dkpro's UnitizingAgreementTest example (Apache-2.0) as label A, with a span of B ending at 10 so that
    /// the continuum is its 10 code points; A has 1 overlap match of 1 + 3 spans, B none of 1.
    /// Overall: 1 exact and 3 overlap matches of 19 spans.</summary>
    const string Study = """
        {"document": "note-1", "rater": "dr-li", "label": "Drug", "start": 0, "end": 5}
        {"document": "note-1", "rater": "dr-li", "label": "Drug", "start": 10, "end": 15}
        {"document": "note-1", "rater": "dr-li", "label": "Dose", "start": 20, "end": 25}
        {"document": "note-1", "rater": "dr-wu", "label": "Drug", "start": 0, "end": 5}
        {"document": "note-1", "rater": "dr-wu", "label": "Drug", "start": 12, "end": 18}
        {"document": "note-1", "rater": "dr-wu", "label": "Dose", "start": 30, "end": 35}
        {"document": "note-1", "rater": "dr-wu", "label": "Dose", "start": 10, "end": 15}
        {"document": "note-1", "rater": "dr-wu", "label": "Dose", "start": 10, "end": 15}
        {"document": "note-1", "rater": "dr-ma", "label": null}

        {"document": "note-2", "rater": "p0", "label": "A", "start": 1, "end": 9}
        {"document": "note-2", "rater": "p1", "label": "A", "start": 2, "end": 3}
        {"document": "note-2", "rater": "p1", "label": "A", "start": 4, "end": 5}
        {"document": "note-2", "rater": "p1", "label": "A", "start": 6, "end": 7}
        {"document": "note-2", "rater": "p0", "label": "B", "start": 9, "end": 10}
        """;

    [Fact]
    public async Task JsonHasTheFiguresOverallAndPerLabel()
    {
        var result = await CliWorkspace.RunAsync("span-agreement", WriteJsonl("spans.jsonl", Study), "--format", "json", "--bootstrap", "200", "--seed", "4");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(["overall", "labels"], root.EnumerateObject().Take(2).Select(p => p.Name));
        var labels = root.GetProperty("labels");
        Assert.Equal(["A", "B", "Dose", "Drug"], labels.EnumerateObject().Select(l => l.Name));
        foreach (var figures in labels.EnumerateObject().Select(l => l.Value).Prepend(root.GetProperty("overall")))
            Assert.Equal(["f1_exact", "f1_overlap", "alpha_u"], figures.EnumerateObject().Select(p => p.Name));

        var overall = root.GetProperty("overall");
        Assert.Equal(2.0 / 19, overall.GetProperty("f1_exact").GetProperty("value").GetDouble(), 12);
        Assert.Equal(6.0 / 19, overall.GetProperty("f1_overlap").GetProperty("value").GetDouble(), 12);
        Assert.Equal(2, overall.GetProperty("f1_exact").GetProperty("ci95").GetArrayLength());
        var drug = labels.GetProperty("Drug");
        Assert.Equal((0.25, 0.5), (drug.GetProperty("f1_exact").GetProperty("value").GetDouble(), drug.GetProperty("f1_overlap").GetProperty("value").GetDouble()));
        Assert.Equal(0.0, labels.GetProperty("Dose").GetProperty("f1_overlap").GetProperty("value").GetDouble());
        Assert.Equal(2, labels.GetProperty("A").GetProperty("alpha_u").GetProperty("ci95").GetArrayLength());
        Assert.Equal((2, 2, 5, 12), (root.GetProperty("documents").GetInt32(), root.GetProperty("paired_documents").GetInt32(),
            root.GetProperty("raters").GetInt32(), root.GetProperty("spans").GetInt32()));
        Assert.Equal((200, 4), (root.GetProperty("bootstrap").GetProperty("resamples").GetInt32(), root.GetProperty("bootstrap").GetProperty("seed").GetInt32()));
        Assert.StartsWith("the file has no document text, so the length of each document (the continuum of alpha_u) is taken as the largest end",
            root.GetProperty("note").GetString());
    }

    /// <summary>On note-2 alone, α_u of A is that of dkpro's example, −0.7003: the continuum is the largest end, 10.
    /// (With note-1 beside it, note-1's continuum, where no one marked A, joins A's expected disagreement.)</summary>
    [Fact]
    public async Task AlphaUOfOneDocumentIsDkprosExample()
    {
        var note2 = string.Join('\n', Study.Split('\n').Where(line => line.Contains("note-2", StringComparison.Ordinal)));

        var result = await CliWorkspace.RunAsync("span-agreement", WriteJsonl("note-2.jsonl", note2), "--format", "json", "--bootstrap", "0");

        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(-0.7003, json.RootElement.GetProperty("labels").GetProperty("A").GetProperty("alpha_u").GetProperty("value").GetDouble(), 0.0001);
    }

    /// <summary>A figure without a value is null with its reason; without a bootstrap there is no interval.</summary>
    [Fact]
    public async Task AnUndefinedFigureIsNullWithAReason()
    {
        var jsonl = WriteJsonl("alone.jsonl", """
            {"document": "n1", "rater": "a", "label": "X", "start": 0, "end": 4}
            {"document": "n1", "rater": "b", "label": null}
            {"document": "n2", "rater": "a", "label": "Y", "start": 0, "end": 4}
            """);

        var result = await CliWorkspace.RunAsync("span-agreement", jsonl, "--format", "json", "--bootstrap", "0");

        using var json = JsonDocument.Parse(result.Output);
        var x = json.RootElement.GetProperty("labels").GetProperty("X");
        Assert.Equal((0.0, false), (x.GetProperty("f1_exact").GetProperty("value").GetDouble(), x.GetProperty("f1_exact").TryGetProperty("ci95", out _)));
        var y = json.RootElement.GetProperty("labels").GetProperty("Y").GetProperty("alpha_u");
        Assert.Equal(JsonValueKind.Null, y.GetProperty("value").ValueKind);
        Assert.StartsWith("no span covers a code point of a document read by two or more raters", y.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task TableShowsEveryLabelReasonsAndTheNote()
    {
        var jsonl = WriteJsonl("spans.jsonl", Study + "\n{\"document\": \"note-3\", \"rater\": \"dr-li\", \"label\": \"Route\", \"start\": 0, \"end\": 3}\n");

        var result = await CliWorkspace.RunAsync("span-agreement", jsonl, "--bootstrap", "100");

        Assert.Equal(0, result.ExitCode);
        var output = result.Output.ReplaceLineEndings("\n");
        Assert.StartsWith("13 spans of 5 labels in 3 documents (2 read by two or more raters) by 5 raters; 100 bootstrap resamples of the documents (seed 20261125)\n", output);
        Assert.Contains("\nlabel       F1 exact  95% CI              F1 overlap  95% CI               alpha_u  95% CI\n", output);
        Assert.Matches(@"\nall labels    0\.1053  \[\d\.\d{4}, \d\.\d{4}\]\s+0\.3158  \[\d\.\d{4}, \d\.\d{4}\]\s+-?\d\.\d{4}  \[-?\d\.\d{4}, -?\d\.\d{4}\]\n", output);
        Assert.Matches(@"\nDrug          0\.2500  \[", output);
        Assert.Matches(@"\nRoute              —  —\s+—  —\s+—  —\n", output);
        Assert.Contains("\nno F1 exact for Route: the raters who read a document together marked no span in it", output);
        Assert.Contains("\nno alpha_u for Route: no span covers a code point", output);
        Assert.EndsWith("\nnote: the file has no document text, so the length of each document (the continuum of alpha_u) is taken as the largest end marked in it\n", output);
    }

    [Fact]
    public async Task SameSeedGivesTheSameOutputAndAnotherSeedOtherIntervals()
    {
        string[] args = ["span-agreement", WriteJsonl("spans.jsonl", Study), "--format", "json", "--bootstrap", "100", "--seed", "9"];

        var first = await CliWorkspace.RunAsync(args);
        Assert.Equal(first.Output, (await CliWorkspace.RunAsync(args)).Output);
        Assert.NotEqual(first.Output, (await CliWorkspace.RunAsync([.. args[..^1], "10"])).Output);
    }

    const string Good = "{\"document\": \"n1\", \"rater\": \"a\", \"label\": \"X\", \"start\": 0, \"end\": 4}\n";

    [Theory]
    [InlineData("", "spans.jsonl:0: the file is empty")]
    [InlineData(Good + "{\"document\": \"n1\", \"rater\": \"b\", \"label\": \"X\", \"start\": 0, \"end\": 4\n", "spans.jsonl:2: malformed JSON")]
    [InlineData(Good + "\n[1, 2]\n", "spans.jsonl:3: each line must be a JSON object")]
    [InlineData(Good + "{\"document\": \"n1\", \"label\": \"X\", \"start\": 0, \"end\": 4}\n", "spans.jsonl:2: rater: missing")]
    [InlineData(Good + "{\"document\": \"n1\", \"rater\": \"b\", \"start\": 0, \"end\": 4}\n", "spans.jsonl:2: label: missing (null for a rater who read the document and marked nothing)")]
    [InlineData(Good + "{\"document\": \"n1\", \"rater\": \"b\", \"label\": \"X\", \"start\": 0}\n", "spans.jsonl:2: end: missing")]
    [InlineData(Good + "{\"document\": \"n1\", \"rater\": \"b\", \"label\": \"X\", \"start\": 7, \"end\": 4}\n", "spans.jsonl:2: start: 7 is after end 4")]
    [InlineData(Good + "{\"document\": \"n1\", \"rater\": \"b\", \"label\": \"X\", \"start\": -1, \"end\": 4}\n", "spans.jsonl:2: start: -1 is negative")]
    [InlineData(Good + "{\"document\": \"n1\", \"rater\": \"b\", \"label\": \"X\", \"start\": \"0\", \"end\": 4}\n", "spans.jsonl:2: start: must be a whole number of code points, found \"0\"")]
    [InlineData(Good + "{\"document\": \"n1\", \"rater\": \"b\", \"label\": \"X\", \"start\": 0.5, \"end\": 4}\n", "spans.jsonl:2: start: must be a whole number of code points, found 0.5")]
    [InlineData(Good + "{\"document\": \"n1\", \"rater\": \"b\", \"label\": 3, \"start\": 0, \"end\": 4}\n", "spans.jsonl:2: label: must be a string or null, found 3")]
    [InlineData(Good + "{\"document\": \"n1\", \"rater\": \"b\", \"label\": \"\", \"start\": 0, \"end\": 4}\n", "spans.jsonl:2: label: empty")]
    [InlineData(Good + "{\"document\": 1, \"rater\": \"b\", \"label\": \"X\", \"start\": 0, \"end\": 4}\n", "spans.jsonl:2: document: must be a string, found 1")]
    public async Task BadInputExitsWithTwoNamingTheLineAndField(string text, string message)
    {
        var result = await CliWorkspace.RunAsync("span-agreement", WriteJsonl("spans.jsonl", text));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(message, result.Error);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.Equal("", result.Output);
    }

    /// <summary>A repeated line is no error: the span counts once.</summary>
    [Fact]
    public async Task ARepeatedSpanIsCountedOnce()
    {
        var once = await CliWorkspace.RunAsync("span-agreement", WriteJsonl("once.jsonl", Study), "--format", "json", "--bootstrap", "0");
        var twice = await CliWorkspace.RunAsync("span-agreement", WriteJsonl("twice.jsonl", Study + "\n" + Study), "--format", "json", "--bootstrap", "0");

        Assert.Equal((0, once.Output), (twice.ExitCode, twice.Output));
    }

    [Fact]
    public async Task TheInstalledCommandExitsWithTwoOnBadInput()
    {
        var result = await CliWorkspace.RunProcessAsync("span-agreement", WriteJsonl("bad.jsonl", Good + "{\"document\": \"n1\", \"rater\": \"b\", \"label\": \"X\", \"start\": 5, \"end\": 4}\n"));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("bad.jsonl:2: start: 5 is after end 4", result.Error);
    }

    public void Dispose() => _workspace.Dispose();
}
