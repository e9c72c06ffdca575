//! The bundled sample site: a small copy of a Chinese city portal (江州市, fictional) with four
//! channels, paginated lists, articles in UTF-8 and GBK (and one UTF-8 page that claims gb2312),
//! pages that should become leads for each field, near-misses that must not, a reprint of one
//! story on a news portal, English articles, and a robots.txt that disallows one folder.
//!
//! All text is written for this project; names of firms and places are invented.

use std::collections::HashMap;

use super::server::{Page, Site};

/// Page template.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tpl {
    /// Government notice: TRS meta tags, body in `#zoom`.
    Gov,
    /// Chinese news portal: date and source line, body in an unnamed div, site suffix in `<title>`.
    Portal,
    /// English news: `<time datetime>`, byline.
    English,
}

/// Byte encoding of a page.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Enc {
    Utf8,
    Gbk,
    /// UTF-8 bytes, but the page and the header claim gb2312 (common on Chinese sites).
    Utf8ClaimsGb2312,
}

/// One article of the sample site.
struct Article {
    channel: &'static str,
    id: u32,
    date: &'static str, // YYYY-MM-DD
    time: &'static str, // HH:MM
    title: &'static str,
    issuer: &'static str,
    paragraphs: &'static [&'static str],
    table: &'static [&'static [&'static str]],
    tpl: Tpl,
    enc: Enc,
}

/// What the demo expects of an article (used by tests): the category of the lead it should
/// produce, or `None` for a near-miss that must not become a lead.
pub struct Expectation {
    /// URL path of the article.
    pub path: String,
    /// Title as written.
    pub title: &'static str,
    /// Expected lead category, if any.
    pub category: Option<&'static str>,
    /// Written in GBK.
    pub gbk: bool,
}

const CHANNELS: &[(&str, &str)] = &[
    ("hbj/xzcf", "生态环境行政处罚"),
    ("scjg/spcj", "食品安全抽检"),
    ("zjj/wza", "无障碍环境"),
    ("news", "江州要闻"),
];

/// Articles per list page.
const PER_PAGE: usize = 4;

fn articles() -> Vec<(Article, Option<&'static str>)> {
    use Enc::*;
    use Tpl::*;
    let a = |channel, id, date, time, title, issuer, paragraphs, table, tpl, enc| Article {
        channel,
        id,
        date,
        time,
        title,
        issuer,
        paragraphs,
        table,
        tpl,
        enc,
    };
    vec![
        (
            a(
                "hbj/xzcf",
                1001,
                "2024-03-18",
                "10:22",
                "江州市生态环境局关于江州恒达化工有限公司私设暗管偷排污水的行政处罚决定书",
                "江州市生态环境局",
                &[
                    "江环罚〔2024〕12号",
                    "当事人：江州恒达化工有限公司，统一社会信用代码：91340100MA2XXXXX0X。",
                    "2024年3月5日，我局执法人员根据群众举报，对你公司进行现场检查，发现你公司在厂区东侧围墙外私设暗管，将未经处理的生产废水直接排入白沙河，排放口下游河道水体呈黑色并有明显异味。",
                    "经采样监测，外排废水化学需氧量浓度为486mg/L，超过《污水综合排放标准》规定限值。",
                    "你公司上述行为违反了《中华人民共和国水污染防治法》第三十九条的规定。依据该法第八十三条，我局决定对你公司处以罚款人民币四十五万元，并责令立即拆除暗管、改正违法行为。",
                    "如不服本处罚决定，可在收到本决定书之日起六十日内申请行政复议。",
                ],
                &[],
                Gov,
                Utf8,
            ),
            Some("environment"),
        ),
        (
            a(
                "hbj/xzcf",
                1002,
                "2024-03-15",
                "09:00",
                "群众举报印染厂夜间向清溪河直排废水 区生态环境局立案调查",
                "江州市生态环境局",
                &[
                    "近日，清溪镇多名村民通过12345热线反映，镇北一家印染厂夜间通过雨水管向清溪河直排废水，河面出现大量泡沫，下游鱼塘出现死鱼。",
                    "接到举报后，区生态环境局执法人员连夜赶赴现场，对该厂排放口及周边水体进行采样，并已对该厂立案调查。",
                    "调查结果将及时向社会公布。",
                ],
                &[],
                Gov,
                Gbk,
            ),
            Some("environment"),
        ),
        (
            a(
                "hbj/xzcf",
                1003,
                "2024-03-12",
                "15:30",
                "江州市开展2024年突发水污染事件应急演练",
                "江州市生态环境局",
                &[
                    "3月12日，市生态环境局联合应急管理局在白沙河开展突发水污染事件应急演练。",
                    "演练模拟接到群众投诉某企业向河道直排废水，各部门迅速响应，完成现场处置、采样监测和信息发布等科目。",
                    "通过演练，进一步提升了我市应对突发环境事件的能力。",
                ],
                &[],
                Gov,
                Gbk,
            ),
            None,
        ),
        (
            a(
                "hbj/xzcf",
                1004,
                "2024-03-10",
                "08:45",
                "江州市第二污水处理厂提标改造工程招标公告",
                "江州市生态环境局",
                &[
                    "江州市第二污水处理厂提标改造工程已由市发展改革委批准建设，现对该项目进行公开招标。",
                    "本项目建设规模为日处理污水8万吨，出水水质执行一级A标准。",
                    "投标人须具备环保工程专业承包一级资质，请于2024年4月1日前提交投标文件。",
                ],
                &[],
                Gov,
                Utf8,
            ),
            None,
        ),
        (
            a(
                "hbj/xzcf",
                1005,
                "2024-03-08",
                "11:10",
                "关于江州鑫旺建材有限公司废气超标排放的行政处罚决定",
                "江州市生态环境局",
                &[
                    "江环罚〔2024〕9号",
                    "经查，江州鑫旺建材有限公司烘干窑在生产过程中废气超标排放，颗粒物排放浓度为68mg/m³，超过国家排放标准。周边居民多次投诉烟尘呛人、无法开窗。",
                    "上述行为违反了《中华人民共和国大气污染防治法》第十八条。我局决定对该公司处以罚款人民币二十万元，责令改正违法行为。",
                ],
                &[],
                Gov,
                Utf8ClaimsGb2312,
            ),
            Some("environment"),
        ),
        (
            a(
                "hbj/xzcf",
                1006,
                "2024-03-05",
                "16:00",
                "2024年2月江州市环境空气质量状况",
                "江州市生态环境局",
                &[
                    "2024年2月，全市环境空气质量优良天数比例为86.2%，同比上升3.1个百分点。",
                    "细颗粒物（PM2.5）平均浓度为38微克/立方米，同比下降5.0%。",
                    "各县区空气质量排名情况详见附表。",
                ],
                &[],
                Gov,
                Gbk,
            ),
            None,
        ),
        (
            a(
                "scjg/spcj",
                2001,
                "2024-03-18",
                "14:00",
                "江州市市场监督管理局关于3批次食品抽检不合格情况的通告（2024年第5期）",
                "江州市市场监督管理局",
                &[
                    "近期，江州市市场监督管理局组织抽检粮食加工品、蔬菜制品、食用农产品等6类食品120批次，抽样检验项目合格样品117批次、不合格样品3批次。",
                    "不合格项目主要为农药残留超标、微生物污染和食品添加剂超范围使用。具体情况如下：",
                    "对抽检中发现的不合格食品，市场监管部门已责令相关经营者立即下架，依法查处，并将结果向社会公开。",
                ],
                &[
                    &["序号", "被抽样单位", "食品名称", "不合格项目", "检验结果", "标准值"],
                    &["1", "江州市好又多超市", "芹菜", "毒死蜱", "0.12mg/kg", "≤0.05mg/kg"],
                    &["2", "江州市城南农贸市场王某摊位", "韭菜", "腐霉利", "0.86mg/kg", "≤0.2mg/kg"],
                    &["3", "江州味美食品店", "凉皮", "菌落总数", "5.6×10⁵CFU/g", "≤10⁵CFU/g"],
                ],
                Gov,
                Gbk,
            ),
            Some("food_drug"),
        ),
        (
            a(
                "scjg/spcj",
                2002,
                "2024-03-14",
                "10:00",
                "江州市2024年第4期食品安全监督抽检信息公告",
                "江州市市场监督管理局",
                &[
                    "本期共抽检食用油、乳制品、饮料等5类食品86批次，经检验，全部合格。",
                    "市场监管部门提醒消费者到正规超市和市场选购食品，并留存购物凭证。",
                ],
                &[],
                Gov,
                Utf8,
            ),
            None,
        ),
        (
            a(
                "scjg/spcj",
                2003,
                "2024-03-11",
                "09:30",
                "关于查处网络餐饮服务入网商户无证经营问题的通报",
                "江州市市场监督管理局",
                &[
                    "近期，我局根据消费者投诉，对外卖平台入网商户开展专项检查，发现部分入网商户无证经营、未公示食品经营许可证，个别商户使用虚构地址入驻平台。",
                    "我局已对涉事的12家商户立案调查，责令第三方平台下架相关店铺，并约谈平台企业负责人。",
                ],
                &[],
                Gov,
                Utf8,
            ),
            Some("food_drug"),
        ),
        (
            a(
                "scjg/spcj",
                2004,
                "2024-03-07",
                "15:00",
                "市市场监管局召开2024年食品安全培训会",
                "江州市市场监督管理局",
                &[
                    "3月7日，市市场监管局召开2024年食品安全培训会，全市200余家食品生产经营企业负责人参加。",
                    "培训会讲解了食品抽检不合格后的核查处置流程和网络餐饮服务监管要求。",
                ],
                &[],
                Gov,
                Gbk,
            ),
            None,
        ),
        (
            a(
                "zjj/wza",
                3001,
                "2024-03-17",
                "10:00",
                "市民反映人民路盲道被占用问题 区城管局责令限期整改",
                "江州市住房和城乡建设局",
                &[
                    "近日，有市民通过网络问政平台反映，人民路沿线多处盲道被共享单车和机动车长期占用，部分路段盲道中断，视障人士出行存在安全隐患。",
                    "区城管局接到反映后，组织人员现场核查，对占用盲道的商户和车辆进行劝离，并责令相关单位限期整改。",
                ],
                &[],
                Gov,
                Utf8,
            ),
            Some("accessibility"),
        ),
        (
            a(
                "zjj/wza",
                3002,
                "2024-03-13",
                "14:20",
                "群众投诉：市第一医院无障碍卫生间长期锁闭",
                "江州市住房和城乡建设局",
                &[
                    "有群众投诉，市第一医院门诊楼的无障碍卫生间长期锁闭，轮椅使用者无法如厕；住院部入口的无障碍坡道缺失，残疾人只能由他人搬抬进入。",
                    "市住建局已将该问题转交卫健部门核查。",
                ],
                &[],
                Gov,
                Gbk,
            ),
            Some("accessibility"),
        ),
        (
            a(
                "zjj/wza",
                3003,
                "2024-03-09",
                "09:00",
                "我市启动2024年无障碍环境建设宣传周活动",
                "江州市住房和城乡建设局",
                &[
                    "3月9日，我市启动2024年无障碍环境建设宣传周活动，宣传《无障碍环境建设法》，倡导全社会共同维护盲道、无障碍坡道等设施。",
                    "活动期间，志愿者将在各社区开展无障碍设施使用体验活动。",
                ],
                &[],
                Gov,
                Utf8,
            ),
            None,
        ),
        (
            a(
                "zjj/wza",
                3004,
                "2024-03-04",
                "11:00",
                "东城街道盲道占用问题已整改完毕",
                "江州市住房和城乡建设局",
                &["此前群众反映的东城街道盲道被占用问题，经街道组织清理，已整改完毕，盲道恢复畅通。"],
                &[],
                Gov,
                Utf8,
            ),
            None,
        ),
        (
            a(
                "news",
                4001,
                "2024-03-16",
                "08:30",
                "群众举报印染厂夜间向清溪河直排废水 区生态环境局立案调查",
                "江州日报",
                &[
                    "近日，清溪镇多名村民通过12345热线反映，镇北一家印染厂夜间通过雨水管向清溪河直排废水，河面出现大量泡沫，下游鱼塘出现死鱼。",
                    "接到举报后，区生态环境局执法人员连夜赶赴现场，对该厂排放口及周边水体进行采样，并已对该厂立案调查。",
                    "调查结果将及时向社会公布。",
                ],
                &[],
                Portal,
                Gbk,
            ),
            Some("environment"),
        ),
        (
            a(
                "news",
                4002,
                "2024-03-15",
                "19:05",
                "Villagers say dye works is discharging untreated wastewater into the Qingxi river",
                "Jiangzhou Daily",
                &[
                    "Villagers in Qingxi complained to the 12345 hotline that a dye works has been discharging untreated wastewater into the river at night.",
                    "Dead fish were found in ponds downstream, and the water smelled of chemicals. The district environment bureau said it had opened an investigation.",
                ],
                &[],
                English,
                Utf8,
            ),
            Some("environment"),
        ),
        (
            a(
                "news",
                4003,
                "2024-03-14",
                "12:00",
                "Jiangzhou holds accessibility awareness week",
                "Jiangzhou Daily",
                &[
                    "The city launched an accessibility awareness campaign this week, with volunteers explaining the new barrier-free law in every district.",
                    "Organisers said the awareness campaign would continue with events in schools.",
                ],
                &[],
                English,
                Utf8,
            ),
            None,
        ),
        (
            a(
                "news",
                4004,
                "2024-03-13",
                "17:40",
                "江州：春季植树活动在滨江公园举行",
                "江州日报",
                &[
                    "3月12日，江州市春季义务植树活动在滨江公园举行，市民和志愿者共栽下樱花、香樟等树苗2000余株。",
                    "活动现场还开展了垃圾分类知识宣传。",
                ],
                &[],
                Portal,
                Utf8,
            ),
            None,
        ),
    ]
}

/// The robots.txt of the site: one folder of the environment channel is off limits.
pub const ROBOTS: &str = "User-agent: *\nDisallow: /hbj/xzcf/internal/\n";

/// Path of the page behind the robots.txt disallow (it would match a rule if it were fetched).
pub const DISALLOWED_PATH: &str = "/hbj/xzcf/internal/t20240301_9999.html";

fn article_path(a: &Article) -> String {
    let ym: String = a.date.replace('-', "")[..6].to_string();
    format!("/{}/{ym}/t{}_{}.html", a.channel, a.date.replace('-', ""), a.id)
}

/// What each sample article should produce.
pub fn expectations() -> Vec<Expectation> {
    articles()
        .into_iter()
        .map(|(a, category)| Expectation {
            path: article_path(&a),
            title: a.title,
            category,
            gbk: a.enc == Enc::Gbk,
        })
        .collect()
}

fn esc(s: &str) -> String {
    html_escape::encode_text(s).into_owned()
}

const NAV: &str = r#"<div class="top"><a href="/index.html">江州市人民政府</a> | <a href="/hbj/xzcf/index.html">生态环境</a> | <a href="/scjg/spcj/index.html">市场监管</a> | <a href="/zjj/wza/index.html">住房建设</a> | <a href="/news/index.html">江州要闻</a></div>"#;

fn dept_menu() -> String {
    let depts = [
        "发展和改革委员会",
        "教育局",
        "科学技术局",
        "公安局",
        "民政局",
        "司法局",
        "财政局",
        "人力资源和社会保障局",
        "自然资源和规划局",
        "生态环境局",
        "住房和城乡建设局",
        "交通运输局",
        "水利局",
        "农业农村局",
        "商务局",
        "文化和旅游局",
        "卫生健康委员会",
        "应急管理局",
        "审计局",
        "市场监督管理局",
        "统计局",
        "医疗保障局",
        "城市管理局",
        "林业局",
    ];
    let mut s = String::from("<div class=\"menu\"><ul>");
    for (i, d) in depts.iter().enumerate() {
        s += &format!("<li><a href=\"/dept/{i}.html\">江州市{d}</a></li>");
    }
    s + "</ul></div>"
}

const FOOTER: &str = r#"<div class="footer"><p>主办单位：江州市人民政府办公室 | 网站标识码：3401000099 | 皖ICP备05001234号</p><p>版权所有 © 2024 江州市人民政府 联系电话：0551-12345678</p></div>"#;

fn charset_label(enc: Enc) -> &'static str {
    match enc {
        Enc::Utf8 => "utf-8",
        Enc::Gbk => "gbk",
        Enc::Utf8ClaimsGb2312 => "gb2312",
    }
}

fn body_html(a: &Article) -> String {
    let mut s = String::new();
    for p in a.paragraphs {
        s += &format!("<p>　　{}</p>\n", esc(p));
    }
    if !a.table.is_empty() {
        s += "<table class=\"MsoNormalTable\" border=\"1\">";
        for row in a.table {
            s += "<tr>";
            for c in *row {
                s += &format!("<td>{}</td>", esc(c));
            }
            s += "</tr>";
        }
        s += "</table>\n";
    }
    s
}

fn render_article(a: &Article) -> String {
    let cs = charset_label(a.enc);
    let title = esc(a.title);
    match a.tpl {
        Tpl::Gov => format!(
            r#"<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={cs}">
<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{date} {time}"><meta name="ContentSource" content="{issuer}">
<title>{title}_江州市人民政府</title><script>var _hmt = _hmt || [];</script></head><body>
{NAV}{menu}<div class="crumb">当前位置：<a href="/index.html">首页</a> &gt; <a href="index.html">政务公开</a></div>
<div class="article"><h1>{title}</h1>
<div class="info">发布时间：{date} {time}　来源：{issuer}　浏览次数：<span id="views">128</span>　字号：[大 中 小]</div>
<div id="zoom">{body}</div>
<div class="related"><h4>相关链接</h4><ul><li><a href="/hbj/xzcf/index.html">更多行政处罚信息</a></li><li><a href="/news/index.html">江州要闻</a></li></ul></div></div>
{FOOTER}</body></html>"#,
            date = a.date,
            time = a.time,
            issuer = esc(a.issuer),
            menu = dept_menu(),
            body = body_html(a),
        ),
        Tpl::Portal => {
            let (y, rest) = a.date.split_at(4);
            let (m, d) = (&rest[1..3], &rest[4..6]);
            format!(
                r#"<!DOCTYPE html><html><head><meta charset="{cs}"><title>{title}_江州新闻网</title></head><body>
<div class="header"><a href="/news/index.html">江州新闻网</a> <a href="/index.html">首页</a> <a href="/news/index.html">要闻</a> <a href="/news/index.html">社会</a></div>
<div class="main"><div class="left"><h1>{title}</h1><div class="src">{y}年{m}月{d}日 {time}　来源：{issuer}</div>
<div class="txt">{body}</div><div class="editor">（责任编辑：李明）</div></div>
<div class="right"><h3>热点新闻</h3><ul><li><a href="/news/202403/t20240313_4004.html">江州：春季植树活动在滨江公园举行</a></li><li><a href="/news/index.html">更多新闻</a></li></ul></div></div>
<div class="footer">江州新闻网版权所有 未经授权禁止转载 皖ICP备06005678号</div></body></html>"#,
                time = a.time,
                issuer = esc(a.issuer),
                body = body_html(a),
            )
        }
        Tpl::English => format!(
            r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | Jiangzhou Daily</title>
<script type="application/ld+json">{{"@type":"NewsArticle","headline":"{title}","datePublished":"{date}T{time}:00+08:00"}}</script></head><body>
<nav><a href="/news/index.html">Home</a> <a href="/news/index.html">China</a> <a href="/news/index.html">World</a></nav>
<article><h1>{title}</h1><p class="byline">By Li Wei, <time datetime="{date}T{time}:00+08:00">March 2024</time></p>
{body}</article><aside><h3>Most read</h3><ul><li><a href="/news/index.html">Spring tree planting</a></li></ul></aside>
<footer>© 2024 Jiangzhou Daily. All rights reserved.</footer></body></html>"#,
            date = a.date,
            time = a.time,
            body = body_html(a),
        ),
    }
}

fn render_list(
    channel: &str,
    name: &str,
    items: &[&Article],
    page: usize,
    pages: usize,
    extra: &str,
) -> String {
    let mut li = String::new();
    for a in items {
        // Relative links, as list pages write them.
        let rel = article_path(a).trim_start_matches(&format!("/{channel}/")).to_string();
        li += &format!(
            "<li><a href=\"./{rel}\" target=\"_blank\">{}</a><span>{}</span></li>\n",
            esc(a.title),
            a.date
        );
    }
    let mut pager = String::from("<div class=\"page\">");
    if page > 0 {
        let prev = if page == 1 { "index.html".to_string() } else { format!("index_{}.html", page - 1) };
        pager += &format!("<a href=\"{prev}\">上一页</a> ");
    }
    if page + 1 < pages {
        pager += &format!("<a href=\"index_{}.html\">下一页</a>", page + 1);
    }
    pager += "</div>";
    format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>{name}_江州市人民政府</title></head><body>
{NAV}<div class="crumb">当前位置：<a href="/index.html">首页</a> &gt; {name}</div>
<div class="list"><h2>{name}</h2><ul>
{li}</ul>{extra}{pager}</div>{FOOTER}</body></html>"#
    )
}

fn html_page(html: &str, enc: Enc) -> Page {
    match enc {
        Enc::Gbk => {
            let (bytes, _, _) = encoding_rs::GBK.encode(html);
            Page::ok("text/html; charset=GBK", bytes.into_owned())
        }
        // The header claims gb2312 too: the bytes must win.
        Enc::Utf8ClaimsGb2312 => Page::ok("text/html; charset=gb2312", html.as_bytes().to_vec()),
        Enc::Utf8 => Page::ok("text/html; charset=utf-8", html.as_bytes().to_vec()),
    }
}

/// Builds every page of the sample site.
pub fn site() -> Site {
    let mut site: Site = HashMap::new();
    let all = articles();
    site.insert("/robots.txt".into(), Page::ok("text/plain", ROBOTS));
    let mut home =
        String::from("<html><head><meta charset=\"utf-8\"><title>江州市人民政府</title></head><body><ul>");
    for (ch, name) in CHANNELS {
        home += &format!("<li><a href=\"/{ch}/index.html\">{name}</a></li>");
    }
    home += "</ul></body></html>";
    site.insert("/index.html".into(), Page::ok("text/html; charset=utf-8", home));
    for (channel, name) in CHANNELS {
        let items: Vec<&Article> = all.iter().map(|(a, _)| a).filter(|a| a.channel == *channel).collect();
        let pages = items.len().div_ceil(PER_PAGE).max(1);
        for p in 0..pages {
            let chunk: Vec<&Article> = items.iter().skip(p * PER_PAGE).take(PER_PAGE).copied().collect();
            let extra = if *channel == "hbj/xzcf" && p == 0 {
                format!("<p class=\"notice\"><a href=\"{DISALLOWED_PATH}\">内部工作通报（仅限内部）</a></p>")
            } else {
                String::new()
            };
            let file = if p == 0 { "index.html".to_string() } else { format!("index_{p}.html") };
            site.insert(
                format!("/{channel}/{file}"),
                html_page(&render_list(channel, name, &chunk, p, pages, &extra), Enc::Utf8),
            );
        }
    }
    for (a, _) in &all {
        site.insert(article_path(a), html_page(&render_article(a), a.enc));
    }
    let secret = Article {
        channel: "hbj/xzcf",
        id: 9999,
        date: "2024-03-01",
        time: "09:00",
        title: "内部通报：某企业私设暗管偷排污水（不得抓取）",
        issuer: "江州市生态环境局",
        paragraphs: &[
            "群众举报某企业私设暗管向白沙河偷排污水，已立案调查。本页被 robots.txt 禁止抓取，不应出现在索引中。",
        ],
        table: &[],
        tpl: Tpl::Gov,
        enc: Enc::Utf8,
    };
    site.insert(DISALLOWED_PATH.into(), html_page(&render_article(&secret), Enc::Utf8));
    site
}

/// The `cluewatch.toml` the demo crawls the site with (`{base}` is the server's base URL).
pub fn config_toml(base: &str) -> String {
    format!(
        r#"user_agent = "cluewatch-demo/{version} (+https://example.org/cluewatch)"

[crawl]
concurrency = 8
per_host_concurrency = 4
per_host_delay = "0ms"
timeout = "10s"
allow_private_addresses = true   # the demo site is on loopback

[[source]]
name = "jiangzhou-eco"
start = ["{base}/hbj/xzcf/index.html"]
scope = "{base}/hbj/xzcf/"
article = '/t\d{{8}}_\d+\.html$'
region = "340100"
authority = "official"

[[source]]
name = "jiangzhou-samr"
start = ["{base}/scjg/spcj/index.html"]
scope = "{base}/scjg/spcj/"
article = '/t\d{{8}}_\d+\.html$'
region = "340100"
authority = "official"

[[source]]
name = "jiangzhou-housing"
start = ["{base}/zjj/wza/index.html"]
scope = "{base}/zjj/wza/"
article = '/t\d{{8}}_\d+\.html$'
region = "340100"
authority = "official"

[[source]]
name = "jiangzhou-news"
start = ["{base}/news/index.html"]
scope = "{base}/news/"
article = '/t\d{{8}}_\d+\.html$'
authority = "media"
"#,
        version = env!("CARGO_PKG_VERSION")
    )
}
