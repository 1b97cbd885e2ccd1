"""LibreOffice as a reviewer: open a DOCX, accept every tracked change, save it as DOCX.

`soffice --convert-to` cannot accept changes, so a Basic macro does it through the dispatcher
(`.uno:AcceptAllTrackedChanges`), run headless from a private profile in which the macro is
installed: what a reviewer does with Edit > Track Changes > Accept All, then Save.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

_MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub AcceptAll(src As String, dst As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), &quot;_blank&quot;, 0, args())
  helper = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  helper.executeDispatch(doc.getCurrentController().getFrame(), &quot;.uno:AcceptAllTrackedChanges&quot;, &quot;&quot;, 0, Array())
  Dim out(0) As New com.sun.star.beans.PropertyValue
  out(0).Name = &quot;FilterName&quot;
  out(0).Value = &quot;MS Word 2007 XML&quot;
  doc.storeToURL(ConvertToURL(dst), out())
  doc.close(True)
End Sub
</script:module>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def accept_all_changes(source: Path, target: Path, work: Path) -> None:
    """`target`: `source` with every tracked change accepted, as LibreOffice saves it."""
    program = soffice()
    assert program is not None
    profile = (work / "lo-profile").resolve()
    env_arg = f"-env:UserInstallation={profile.as_uri()}"
    subprocess.run([program, env_arg, "--headless", "--terminate_after_init"], check=True, capture_output=True, timeout=180)
    (profile / "user" / "basic" / "Standard" / "Module1.xba").write_text(_MODULE, encoding="utf-8")
    macro = f'macro:///Standard.Module1.AcceptAll("{source.resolve()}","{target.resolve()}")'
    subprocess.run([program, env_arg, "--headless", macro], check=True, capture_output=True, timeout=180)
    assert target.exists(), "LibreOffice did not save the accepted document"
