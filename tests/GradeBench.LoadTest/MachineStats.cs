using System.Globalization;

namespace GradeBench.LoadTest;

/// <summary>What the machine looks like from /proc (Linux); null or NaN elsewhere. Latencies on a shared machine mean
/// little without the load average beside them.</summary>
static class MachineStats
{
    /// <summary>The 1-minute load average.</summary>
    public static double LoadAverage() =>
        File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : double.NaN;

    public static long? MemoryAvailableBytes() => Field("/proc/meminfo", "MemAvailable");

    /// <summary>A value in kB of a <c>Name: value kB</c> file, in bytes.</summary>
    public static long? Field(string file, string name)
    {
        if (!File.Exists(file)) return null;
        try
        {
            foreach (var line in File.ReadLines(file))
                if (line.StartsWith(name + ":", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            // The process ended while we read.
        }
        return null;
    }

    /// <summary>Proportional set size of every descendant of <paramref name="root"/> whose command name contains
    /// <paramref name="name"/>: memory shared between them (the browser's code) is counted once in total, not once per process.</summary>
    public static (long Bytes, int Processes)? DescendantsMemory(int root, string name)
    {
        var (bytes, count) = (0L, 0);
        foreach (var pid in Descendants(root, name) ?? [])
        {
            if (Field($"/proc/{pid}/smaps_rollup", "Pss") is not { } pss) continue;
            bytes += pss;
            count++;
        }
        return Directory.Exists("/proc") ? (bytes, count) : null;
    }

    /// <summary>Processor time (user and system) so far of the same processes as <see cref="DescendantsMemory"/>.</summary>
    public static TimeSpan DescendantsProcessorTime(int root, string name)
    {
        var ticks = 0L;
        foreach (var pid in Descendants(root, name) ?? [])
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // utime and stime, fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    static List<int>? Descendants(int root, string name)
    {
        if (!Directory.Exists("/proc")) return null;
        var parents = new Dictionary<int, int>();
        var names = new Dictionary<int, string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                // pid (comm) state ppid …; comm may hold spaces and parentheses, so read from the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                names[pid] = stat[(stat.IndexOf('(') + 1)..close];
                parents[pid] = int.Parse(stat[(close + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }
        bool Descends(int pid)
        {
            for (var hops = 0; hops < 64 && parents.TryGetValue(pid, out var parent); hops++, pid = parent)
                if (parent == root) return true;
            return false;
        }
        return names.Where(p => p.Value.Contains(name, StringComparison.OrdinalIgnoreCase) && Descends(p.Key)).Select(p => p.Key).ToList();
    }
}
