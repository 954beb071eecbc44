"""Provinces and the seven regional grids they belong to (华北, 东北, 华东, 华中, 西北, 南方, 西南) as the MEE/NBS
grid-factor notices group them; 西南 (Sichuan, Chongqing, Tibet) is published apart from 华中."""

from __future__ import annotations

from nengtan.errors import InputError

_PROVINCES: dict[str, tuple[str, str]] = {
    # key: (Chinese name, regional grid)
    "beijing": ("北京", "north_china"),
    "tianjin": ("天津", "north_china"),
    "hebei": ("河北", "north_china"),
    "shanxi": ("山西", "north_china"),
    "shandong": ("山东", "north_china"),
    "inner_mongolia": ("内蒙古", "north_china"),
    "liaoning": ("辽宁", "northeast"),
    "jilin": ("吉林", "northeast"),
    "heilongjiang": ("黑龙江", "northeast"),
    "shanghai": ("上海", "east_china"),
    "jiangsu": ("江苏", "east_china"),
    "zhejiang": ("浙江", "east_china"),
    "anhui": ("安徽", "east_china"),
    "fujian": ("福建", "east_china"),
    "henan": ("河南", "central_china"),
    "hubei": ("湖北", "central_china"),
    "hunan": ("湖南", "central_china"),
    "jiangxi": ("江西", "central_china"),
    "sichuan": ("四川", "southwest"),
    "chongqing": ("重庆", "southwest"),
    "shaanxi": ("陕西", "northwest"),
    "gansu": ("甘肃", "northwest"),
    "qinghai": ("青海", "northwest"),
    "ningxia": ("宁夏", "northwest"),
    "xinjiang": ("新疆", "northwest"),
    "guangdong": ("广东", "south_china"),
    "guangxi": ("广西", "south_china"),
    "yunnan": ("云南", "south_china"),
    "guizhou": ("贵州", "south_china"),
    "hainan": ("海南", "south_china"),
    "tibet": ("西藏", "southwest"),
}
_BY_ZH = {zh: key for key, (zh, _) in _PROVINCES.items()}


class ProvinceError(InputError):
    """A province name nengtan does not know."""


def normalise_province(name: str) -> str:
    """'江苏', '江苏省', 'Jiangsu' → 'jiangsu'."""
    raw = name.strip()
    key = raw.lower().replace(" ", "_")
    if key in _PROVINCES:
        return key
    for suffix in ("省", "市", "自治区", "壮族自治区", "回族自治区", "维吾尔自治区"):
        if raw.endswith(suffix) and raw[: -len(suffix)] in _BY_ZH:
            return _BY_ZH[raw[: -len(suffix)]]
    if raw in _BY_ZH:
        return _BY_ZH[raw]
    raise ProvinceError(f"unknown province {name!r}")


def grid_region(province: str) -> str:
    """The regional grid of a province key."""
    return _PROVINCES[normalise_province(province)][1]


def province_zh(province: str) -> str:
    """Chinese name of a province key."""
    return _PROVINCES[normalise_province(province)][0]
