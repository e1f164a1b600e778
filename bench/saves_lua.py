"""Writes WORK/saves.lua, a wrk script in which each request saves the SWOT step
of one of the respondents whose links the demo printed in WORK/demo.txt (three
strengths each), with the CSRF value CSRF in both the cookie and the form.
    python3 bench/saves_lua.py WORK CSRF
"""
import sys, urllib.parse
work, csrf = sys.argv[1], sys.argv[2]
links = [l.split()[2] for l in open(f"{work}/demo.txt") if l.startswith("lien : ")]
paths = [urllib.parse.urlparse(link).path + "/swot" for link in links]
def body(i):
    fields = [("csrf", csrf), ("strength_rows", "3"), ("action", "next")]
    fields += [(f"strength_{r}", f"Atout {r} du répondant {i}") for r in range(3)]
    return urllib.parse.urlencode(fields)
with open(f"{work}/saves.lua", "w") as f:
    f.write("local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n")
    f.write("local bodies = {" + ",".join(f'"{body(i)}"' for i in range(len(paths))) + "}\n")
    f.write('local n = 0\nwrk.method = "POST"\n')
    f.write('wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n')
    f.write(f'wrk.headers["Cookie"] = "tissu_csrf={csrf}"\n')
    f.write("request = function()\n  n = n + 1\n  local i = (n % #paths) + 1\n"
            "  return wrk.format(nil, paths[i], nil, bodies[i])\nend\n")
print(f"{len(paths)} respondents saving their SWOT step")
