using System.Diagnostics;
using System.Globalization;

namespace GradeBench.Cli;

/// <summary>Progress of a long command on standard error. On a terminal, a bar (or a running count when the total is
/// unknown) redrawn in place at most ten times a second; when standard error is redirected, a plain line at most once
/// a second ("… 50,000 rows") and one when done, so logs stay readable.</summary>
sealed class Progress(TextWriter error, string what, long? total = null) : IProgress<long>
{
    const int BarWidth = 30;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly bool _terminal = IsTerminal(error);
    TimeSpan _lastDrawn;
    long _rows;

    /// <summary>Whether <paramref name="error"/> is this process's standard error and that is a terminal.</summary>
    public static bool IsTerminal(TextWriter error) => ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;

    public void Report(long value)
    {
        _rows = value;
        // Called once a row: look at the clock only every 1,024 rows.
        if ((value & 0x3FF) != 0) return;
        var now = _clock.Elapsed;
        if (now - _lastDrawn < (_terminal ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1))) return;
        _lastDrawn = now;
        Draw(done: false);
    }

    /// <summary>A step of work that is not counted in rows ("reading the bundle").</summary>
    public void Phase(string text)
    {
        if (_terminal) error.Write("\r\u001b[K");
        error.WriteLine($"{what}: {text}…");
    }

    public void Done(long rows)
    {
        _rows = rows;
        Draw(done: true);
    }

    void Draw(bool done)
    {
        var count = string.Create(CultureInfo.InvariantCulture, $"{_rows:N0}");
        var seconds = string.Create(CultureInfo.InvariantCulture, $"{_clock.Elapsed.TotalSeconds:F1} s");
        if (!_terminal)
        {
            error.WriteLine(done ? $"{what}: {count} rows, done in {seconds}" : $"{what}: … {count} rows");
            return;
        }
        string line;
        if (total is > 0 and var all)
        {
            var fraction = Math.Clamp((double)_rows / all, 0, 1);
            var filled = (int)Math.Round(fraction * BarWidth);
            line = string.Create(CultureInfo.InvariantCulture,
                $"{what} [{new string('#', filled)}{new string('-', BarWidth - filled)}] {fraction,4:P0} {count} / {all:N0} rows  {seconds}");
        }
        else line = $"{what}: {count} rows  {seconds}";
        error.Write("\r\u001b[K" + line);
        if (done) error.WriteLine();
        error.Flush();
    }
}
