"""The HTML shell shared by the audit report and the batch index: one file, inline CSS and JS,
no network. Tables with class `rx` get sorting (click a header), a text filter, a status
filter and paging; the script is plain DOM code with no library."""
from __future__ import annotations

from html import escape
from typing import Any, Iterable

CSS = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#263238;color:#fff;padding:12px 20px}header h1{font-size:20px;margin:0}
header .sub{opacity:.8;font-size:13px}main{padding:10px 20px}
nav a{margin-right:12px}h2{margin-top:28px;border-bottom:1px solid #ccc}
table{border-collapse:collapse;background:#fff;margin:6px 0}
th,td{border:1px solid #ddd;padding:3px 6px;vertical-align:top;text-align:left;max-width:180px;overflow-wrap:break-word}
table.rx{font-size:13px}
th{background:#eceff1;cursor:pointer;user-select:none;white-space:nowrap}
th.asc:after{content:" \\25B2"}th.desc:after{content:" \\25BC"}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.tp td:first-child{border-left:5px solid #2e7d32}tr.fp td:first-child{border-left:5px solid #c62828}
tr.fn td:first-child{border-left:5px solid #ef6c00}tr.fn{background:#fff3e0}tr.fp{background:#ffebee}
.st{font-weight:600;font-size:12px}.st.tp{color:#2e7d32}.st.fp{color:#c62828}.st.fn{color:#ef6c00}
.st.unjudged{color:#777}mark{background:#ffe066}
td.where{min-width:400px;max-width:400px}.sent{font-size:12px;color:#444;margin-top:3px}
.crop{max-width:100%;border:1px solid #ccc;display:block}
.tools{margin:6px 0}.tools input{width:240px;padding:3px}.tools .count{margin-left:10px;color:#555}
.pager button{margin:0 4px}.warn{color:#b26a00}.err{color:#c62828}.note{font-size:12px;color:#6a1b9a}
.pages{display:flex;flex-wrap:wrap;gap:14px}.pages figure{margin:0;background:#fff;border:1px solid #ccc;padding:4px}
.pages img{width:420px;display:block}.pages figcaption{font-size:12px;color:#555}
.legend span{display:inline-block;margin-right:10px;font-size:12px}
.legend i{display:inline-block;width:11px;height:11px;margin-right:3px;vertical-align:-1px}
pre{overflow:auto;background:#fff;border:1px solid #ddd;padding:6px}.row{display:flex;gap:20px;flex-wrap:wrap;align-items:flex-start}
.ok{color:#2e7d32}.failed{color:#c62828}.partial,.no_text_layer{color:#b26a00}
"""

JS = r"""
(function(){
function cellValue(td){var v=td.getAttribute('data-v');return v!==null?v:td.textContent.trim();}
function setup(table){
  var body=table.tBodies[0];if(!body)return;
  var rows=Array.prototype.slice.call(body.rows);
  var size=parseInt(table.getAttribute('data-page-size')||'0',10);var page=0;
  var id=table.id;
  var text=document.querySelector('input.rx-filter[data-for="'+id+'"]');
  var status=document.querySelector('select.rx-status[data-for="'+id+'"]');
  var count=document.querySelector('.count[data-for="'+id+'"]');
  var pager=document.querySelector('.pager[data-for="'+id+'"]');
  function matching(){
    var q=text?text.value.trim().toLowerCase():'';var s=status?status.value:'';
    return rows.filter(function(r){
      if(s&&r.getAttribute('data-status')!==s)return false;
      return !q||r.textContent.toLowerCase().indexOf(q)>=0;});
  }
  function show(){
    var m=matching();var pages=size?Math.max(1,Math.ceil(m.length/size)):1;
    if(page>=pages)page=pages-1;
    var lo=size?page*size:0,hi=size?lo+size:m.length;
    rows.forEach(function(r){r.style.display='none';});
    m.slice(lo,hi).forEach(function(r){r.style.display='';});
    if(count)count.textContent=m.length+' of '+rows.length+' rows';
    if(pager){pager.querySelector('.pos').textContent='page '+(page+1)+' of '+pages;}
  }
  if(text)text.addEventListener('input',function(){page=0;show();});
  if(status)status.addEventListener('change',function(){page=0;show();});
  if(pager){
    pager.querySelector('.prev').addEventListener('click',function(){if(page>0){page--;show();}});
    pager.querySelector('.next').addEventListener('click',function(){page++;show();});
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,col){
    th.addEventListener('click',function(){
      var asc=!th.classList.contains('asc');
      Array.prototype.forEach.call(th.parentNode.cells,function(c){c.classList.remove('asc','desc');});
      th.classList.add(asc?'asc':'desc');
      var num=rows.every(function(r){var v=cellValue(r.cells[col]);return v===''||!isNaN(parseFloat(v));});
      rows.sort(function(a,b){
        var x=cellValue(a.cells[col]),y=cellValue(b.cells[col]);
        var d=num?((parseFloat(x)||0)-(parseFloat(y)||0)):x.localeCompare(y);
        return asc?d:-d;});
      rows.forEach(function(r){body.appendChild(r);});
      page=0;show();
    });
  });
  show();
}
document.addEventListener('DOMContentLoaded',function(){
  Array.prototype.forEach.call(document.querySelectorAll('table.rx'),setup);
});
})();
"""


def e(v: Any) -> str:
    return escape("" if v is None else str(v), quote=True)


def page(title: str, subtitle: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
            "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
            f"<title>{e(title)}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{e(title)}</h1><div class=\"sub\">{subtitle}</div></header><main>{body}</main>"
            f"<script>{JS}</script></body></html>\n")


def tools(table_id: str, statuses: Iterable[str] = (), paged: bool = False) -> str:
    """The filter box (and status menu, pager) that the script binds to table `table_id`."""
    out = [f'<div class="tools"><input class="rx-filter" data-for="{table_id}" type="search" '
           f'placeholder="filter rows" aria-label="filter {table_id}">']
    statuses = list(statuses)
    if statuses:
        opts = "".join(f'<option value="{e(s)}">{e(s)}</option>' for s in statuses)
        out.append(f' <select class="rx-status" data-for="{table_id}" aria-label="status">'
                   f'<option value="">all</option>{opts}</select>')
    out.append(f'<span class="count" data-for="{table_id}"></span>')
    if paged:
        out.append(f'<span class="pager" data-for="{table_id}"><button class="prev" type="button">&lt; prev</button>'
                   f'<span class="pos"></span><button class="next" type="button">next &gt;</button></span>')
    out.append("</div>")
    return "".join(out)


def table(table_id: str, headers: list[str], rows: list[tuple[str, str, list[str]]], page_size: int = 0) -> str:
    """rows: (css class / status, extra attributes, cells as HTML `<td>`s)."""
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join(f'<tr class="{e(cls)}" data-status="{e(cls)}"{attrs}>{"".join(cells)}</tr>'
                   for cls, attrs, cells in rows)
    size = f' data-page-size="{page_size}"' if page_size else ""
    return f'<table class="rx" id="{table_id}"{size}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def td(v: Any, num: bool = False, raw: bool = False, sort: Any = None, cls: str = "") -> str:
    cls = f' class="{"num " if num else ""}{cls}"' if num or cls else ""
    dv = f' data-v="{e(sort)}"' if sort is not None else ""
    return f"<td{cls}{dv}>{v if raw else e(v)}</td>"
