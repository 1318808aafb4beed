"""A department's workbook as an administrator keeps it (openpyxl write-only: quick at 10 000 rows)."""
import io
from datetime import date, datetime, timedelta

from openpyxl import Workbook

CLIENT_HEADERS = ["客户名称", "所属部门", "客户类型", "电话", "外包服务协议开始日期", "软件免费服务方式", "业务员用户名", "备注"]
SITE_HEADERS = ["客户名称", "网点名称", "地址", "区域", "联系人", "联系电话", "驻点单位"]
DEVICE_HEADERS = ["客户名称", "网点名称", "设备型号", "序列号", "厂商", "数量", "安装验收日期", "厂商保修截止", "公司保修截止"]
STAFF_HEADERS = ["用户名", "姓名", "角色", "负责区域", "班组", "手机", "在职"]
AREAS = ["福田区", "南山区", "罗湖区", "宝安区"]


def department_rows(clients: int = 2000, devices_per_client: int = 5):
    """{sheet: [rows]} — client i has one site and `devices_per_client` devices; dates as Excel dates (datetime)
    and as YYYY-MM-DD text, alternately."""
    out = {"客户": [], "网点": [], "设备": []}
    for i in range(clients):
        name = f"客户{i:05d}"
        key = i % 5 == 0
        out["客户"].append([name, "大客户部" if key else "投标部", "大客户" if key else "零散客户", f"0755-8{i:07d}",
                           datetime(2025, 1, 1) if key else None, "免费上门次数", None, None])
        out["网点"].append([name, "总部", f"深圳市深南大道 {i} 号", AREAS[i % 4], "王经理", f"139{i:08d}", "否"])
        for d in range(devices_per_client):
            installed = date(2025, 1, 1) + timedelta(days=(i + d) % 300)
            as_text = d % 2 == 0
            out["设备"].append([
                name, "总部", "HP LaserJet 1020", f"SN{i:05d}-{d}", "HP", 1,
                installed.isoformat() if as_text else datetime(installed.year, installed.month, installed.day),
                (installed + timedelta(days=365)).isoformat(), datetime.combine(installed + timedelta(days=730), datetime.min.time()),
            ])
    return out


def workbook(rows: dict, *, name: str = "department.xlsx", headers=None) -> io.BytesIO:
    headers = headers or {"客户": CLIENT_HEADERS, "网点": SITE_HEADERS, "设备": DEVICE_HEADERS, "员工": STAFF_HEADERS}
    wb = Workbook(write_only=True)
    for title, sheet_rows in rows.items():
        ws = wb.create_sheet(title)
        ws.append(headers[title])
        for r in sheet_rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = name
    return buf
