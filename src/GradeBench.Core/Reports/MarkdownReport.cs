using System.Text;

namespace GradeBench.Core.Reports;

/// <summary>CommonMark with GitHub tables. Text is escaped with backslashes (every character that could start markup,
/// including <c>&lt;</c>, so no raw HTML reaches a renderer that allows it); line breaks inside text become spaces.</summary>
public static class MarkdownReport
{
    public static async Task<long> WriteAsync(IReadOnlyList<ReportBlock> blocks, TextWriter output, CancellationToken ct)
    {
        long rows = 0;
        var text = new StringBuilder();
        foreach (var block in blocks)
        {
            switch (block)
            {
                case ReportHeading h:
                    text.Append('#', h.Level).Append(' ').Append(Escape(h.Text)).Append("\n\n");
                    break;
                case ReportParagraph p:
                    text.Append(Escape(p.Text)).Append("\n\n");
                    break;
                case ReportList l:
                    foreach (var item in l.Items) text.Append("- ").Append(Escape(item)).Append('\n');
                    text.Append('\n');
                    break;
                case ReportTable t:
                    text.Append('*').Append(Escape(t.Caption)).Append("*\n\n");
                    text.Append("| ").AppendJoin(" | ", t.Header.Select(Escape)).Append(" |\n");
                    text.Append('|').AppendJoin("", t.Header.Select(_ => "---|")).Append('\n');
                    foreach (var row in t.Rows)
                    {
                        text.Append("| ").AppendJoin(" | ", row.Select(c => c.Length == 0 ? " " : Escape(c))).Append(" |\n");
                        rows++;
                    }
                    text.Append('\n');
                    break;
                case ReportChart or ReportForestPlot:
                    break; // the table before it holds the numbers; charts are in report.html
            }
            await output.WriteAsync(text.ToString().AsMemory(), ct);
            text.Clear();
        }
        return rows;
    }

    /// <summary>Backslash before every ASCII punctuation character that has a meaning somewhere in CommonMark or GFM
    /// tables (<c>|</c>); CommonMark allows a backslash before any ASCII punctuation, so the text reads back unchanged.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\r' or '\n') { escaped.Append(' '); continue; }
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '|' or '#' or '!' or '~' or '&' or '{' or '}') escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
