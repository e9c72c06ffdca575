//! End-to-end tests on realistic pages written for these tests (gov notices, portals, English news).

use super::*;

const GOV_URL: &str = "http://sthjj.jiangzhou.gov.cn/xxgk/tzgg/202403/t20240318_456.html";

/// A TRS-style municipal notice: top nav, 34-link department menu, breadcrumb, date widget, title,
/// info bar, `#zoom` body with a results table, related links and a footer with an ICP number.
fn gov_page(head_charset: &str) -> String {
    let depts: String =
        (1..=34).map(|i| format!("<li><a href=\"/bm/dept{i}/\">江州市第{i}部门</a></li>")).collect();
    format!(
        r#"<!DOCTYPE html>
<html><head>{head_charset}
<title>关于2024年第一季度重点排污单位监督性监测结果的通报_江州市生态环境局</title>
<meta name="ArticleTitle" content="关于2024年第一季度重点排污单位监督性监测结果的通报">
<script>var _hmt = _hmt || []; document.write("2023年1月1日");</script>
<style>.zoom {{ font-size: 16px; }}</style>
</head><body>
<div class="top-bar">今天是：2024年3月19日 星期二 <a href="/wza/">无障碍</a></div>
<div id="nav"><ul><li><a href="/">首页</a></li><li><a href="/xxgk/">信息公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="bmlj"><ul>{depts}</ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="../../">信息公开</a> &gt; <a href="../">通知公告</a></div>
<div class="article">
  <div class="bt">关于2024年第一季度重点排污单位<br>监督性监测结果的通报</div>
  <div class="info">
    <span>发布时间：2024-03-18 10:22</span>&nbsp;&nbsp;<span>来源：江州市生态环境局</span>
    <span>浏览次数：<script>document.write(128)</script></span>
    <span>【字号：<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a>】</span>
  </div>
  <div id="zoom"><div class="TRS_Editor">
    <p>各县（区）生态环境分局，市直有关单位：</p>
    <p>　　根据《江州市2024年重点排污单位名录》，我局于2024年1月至3月对全市重点排污单位开展了监督性监测，现将结果通报如下。</p>
    <p>　　一、总体情况。本季度共监测企业56家，其中55家达标排放，1家超标排放。</p>
    <table border="1">
      <tr><th>序号</th><th>企业名称</th><th>监测项目</th><th>结果</th></tr>
      <tr><td>1</td><td>江州市宏达化工有限公司</td><td>化学需氧量</td><td>超标1.3倍</td></tr>
      <tr><td>2</td><td>江州市清源水务有限公司</td><td>氨氮</td><td>达标</td></tr>
    </table>
    <p>　　二、下一步工作。对超标企业依法立案查处，责令限期整改&amp;复测。</p>
    <p style="text-align:right">江州市生态环境局</p>
    <p style="text-align:right">2024年3月18日</p>
  </div></div>
  <div class="fj">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
</div>
<div class="xglj"><h3>相关链接</h3><ul>
  <li><a href="./t20240301_400.html">关于2023年第四季度监督性监测结果的通报</a></li>
  <li><a href="./t20231201_300.html">关于2023年第三季度监督性监测结果的通报</a></li>
</ul></div>
<div class="footer"><p>主办单位：江州市生态环境局 版权所有 <a href="https://beian.miit.gov.cn/">赣ICP备05001234号</a></p>
<p>网站标识码：3601000001 <a href="mailto:hbj@jiangzhou.gov.cn">联系我们</a></p></div>
</body></html>"#
    )
}

fn url(s: &str) -> url::Url {
    url::Url::parse(s).expect("test url")
}

fn run(body: &[u8], content_type: Option<&str>, u: &str) -> Extracted {
    let u = url(u);
    extract(&Response { url: &u, content_type, body })
}

fn ts(e: &Extracted) -> String {
    e.published.map(|d| d.to_rfc3339()).unwrap_or_default()
}

fn check_gov(e: &Extracted) {
    assert_eq!(e.title, "关于2024年第一季度重点排污单位监督性监测结果的通报");
    assert_eq!(ts(e), "2024-03-18T10:22:00+08:00");
    assert_eq!(e.issuer.as_deref(), Some("江州市生态环境局"));
    assert_eq!(e.lang, "zh");
    assert_eq!(e.replacement_share, 0.0);
    let lines: Vec<&str> = e.body.lines().collect();
    assert_eq!(lines.first().copied(), Some("各县（区）生态环境分局，市直有关单位："));
    assert_eq!(lines.last().copied(), Some("2024年3月18日"));
    assert!(e.body.contains("根据《江州市2024年重点排污单位名录》，我局于2024年1月至3月"));
    assert!(lines.contains(&"序号\t企业名称\t监测项目\t结果"));
    assert!(lines.contains(&"1\t江州市宏达化工有限公司\t化学需氧量\t超标1.3倍"));
    assert!(e.body.contains("责令限期整改&复测。"));
    for bad in [
        "首页",
        "江州市第7部门",
        "当前位置",
        "发布时间",
        "浏览次数",
        "字号",
        "打印本页",
        "相关链接",
        "第四季度",
        "ICP",
        "网站标识码",
        "doZoom",
        "font-size",
    ] {
        assert!(!e.body.contains(bad), "body contains {bad:?}:\n{}", e.body);
    }
    assert!(!e.body.starts_with("关于2024年第一季度"));
    assert!(e.links.len() > 34 + 4 + 3 + 2);
    assert!(e.links.iter().all(|l| matches!(l.url.scheme(), "http" | "https")));
    let related = e.links.iter().find(|l| l.text.contains("第四季度")).map(|l| l.url.as_str());
    assert_eq!(related, Some("http://sthjj.jiangzhou.gov.cn/xxgk/tzgg/202403/t20240301_400.html"));
    let up = e.links.iter().find(|l| l.text == "信息公开" && l.url.path() == "/xxgk/");
    assert!(up.is_some());
    assert_eq!(e.links.first().map(|l| l.url.as_str()), Some("http://sthjj.jiangzhou.gov.cn/wza/"));
}

#[test]
fn gov_notice_utf8() {
    let page = gov_page(r#"<meta charset="utf-8">"#);
    let e = run(page.as_bytes(), Some("text/html; charset=utf-8"), GOV_URL);
    assert_eq!(e.encoding, "UTF-8");
    check_gov(&e);
}

#[test]
fn gov_notice_gbk_meta() {
    let page = gov_page(r#"<meta http-equiv="Content-Type" content="text/html; charset=gbk">"#);
    let bytes = encoding_rs::GBK.encode(&page).0.into_owned();
    let e = run(&bytes, Some("text/html"), GOV_URL);
    assert_eq!(e.encoding, "GBK");
    check_gov(&e);
}

#[test]
fn gov_notice_gbk_header_only() {
    let page = gov_page("");
    let bytes = encoding_rs::GBK.encode(&page).0.into_owned();
    let e = run(&bytes, Some("text/html; charset=GB2312"), GOV_URL);
    assert_eq!(e.encoding, "GBK");
    check_gov(&e);
    // No label at all: chardetng with the .cn hint.
    let e = run(&bytes, None, GOV_URL);
    assert_eq!(e.encoding, "GBK");
    check_gov(&e);
}

#[test]
fn utf8_page_claiming_gb2312() {
    let page = gov_page(r#"<meta http-equiv="Content-Type" content="text/html; charset=gb2312">"#);
    let e = run(page.as_bytes(), Some("text/html; charset=gb2312"), GOV_URL);
    assert_eq!(e.encoding, "UTF-8");
    check_gov(&e);
}

#[test]
fn gov_overrides() {
    let page = gov_page("");
    let ov = Overrides {
        title: Some("div.bt".into()),
        date: Some(".info span".into()),
        body: Some(".TRS_Editor".into()),
    }
    .compile()
    .expect("valid selectors");
    let u = url(GOV_URL);
    let e = extract_with(&Response { url: &u, content_type: None, body: page.as_bytes() }, &ov);
    check_gov(&e);
}

const PORTAL: &str = r##"<html><head><meta charset="utf-8">
<title>江州一化工企业夜间偷排废水被查处_人民网</title>
<meta name="keywords" content="偷排,化工">
</head><body>
<div class="header"><a href="http://www.people.com.cn/"><img src="logo.png" alt="人民网"></a>
 <span>2024年3月20日 星期三</span></div>
<div class="nav_list"><a href="/gn/">国内</a> <a href="/gj/">国际</a> <a href="/sh/">社会</a> <a href="/cj/">财经</a></div>
<div class="col-1">
  <h1>江州一化工企业夜间偷排废水被查处</h1>
  <div class="box01"><div class="fl">2024年03月18日 10:22 | 来源：<a href="http://jx.people.com.cn/">人民网－江西频道</a></div>
   <div class="fr"><a href="#">分享到</a></div></div>
  <div class="box_con">
    <p>　　人民网南昌3月18日电 江州市生态环境局近日通报，该市一家化工企业利用夜间偷排未经处理的生产废水，执法人员已依法对其立案查处。</p>
    <p>　　据介绍，群众早在2019年5月就曾反映该企业附近河道出现异味，此次执法人员在凌晨突击检查时发现暗管。</p>
    <p>　　经监测，外排废水化学需氧量超标3.2倍。目前涉事企业已被责令停产整治，相关责任人移送公安机关处理。</p>
    <div class="edit">(责任编辑：王小明)</div>
  </div>
</div>
<div class="col-2"><h2>热点排行</h2><ul>
  <li><a href="/n1/2024/0318/c1.html">江州春季植树活动启动</a></li><li><a href="/n1/2024/0318/c2.html">江州地铁三号线开通运营</a></li>
  <li><a href="/n1/2024/0318/c3.html">江州市召开全市安全生产工作会议</a></li><li><a href="/n1/2024/0318/c4.html">江州大学举行开学典礼</a></li>
  <li><a href="/n1/2024/0318/c5.html">江州春季招聘会提供岗位两万个</a></li>
</ul></div>
<div class="copyright">人民网版权所有，未经书面授权禁止使用 Copyright &copy; 1997-2024 by www.people.com.cn. all rights reserved</div>
</body></html>"##;

#[test]
fn chinese_portal() {
    let e = run(
        PORTAL.as_bytes(),
        Some("text/html"),
        "http://jx.people.com.cn/n2/2024/0318/c190181-40000000.html",
    );
    assert_eq!(e.title, "江州一化工企业夜间偷排废水被查处");
    assert_eq!(ts(&e), "2024-03-18T10:22:00+08:00");
    assert_eq!(e.issuer.as_deref(), Some("人民网－江西频道"));
    assert_eq!(e.lang, "zh");
    assert!(e.body.starts_with("人民网南昌3月18日电 江州市生态环境局近日通报"), "{}", e.body);
    assert!(e.body.contains("相关责任人移送公安机关处理。"));
    for bad in ["热点排行", "植树", "国际", "版权所有", "分享到", "星期三"] {
        assert!(!e.body.contains(bad), "body contains {bad:?}:\n{}", e.body);
    }
    assert_eq!(e.body.lines().count(), 3, "{}", e.body);
}

const ENGLISH: &str = r#"<!doctype html><html lang="en"><head>
<title>Chemical plant fined for dumping waste into Gan River | Reuters</title>
<meta property="og:title" content="Chemical plant fined for dumping waste into Gan River">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
 "headline":"Chemical plant fined for dumping waste into Gan River","datePublished":"2024-03-18T02:22:00Z",
 "author":{"@type":"Person","name":"Jane Doe"}}</script>
</head><body>
<header class="site-header"><nav><a href="/world/">World</a> <a href="/business/">Business</a></nav></header>
<main><article>
  <header><h1>Chemical plant fined for dumping waste into Gan River</h1>
    <p class="byline">By Jane Doe and Li Wei</p>
    <time datetime="2024-03-18T10:22:00+08:00">March 18, 2024 10:22 AM GMT+8</time></header>
  <div class="share"><a href="https://twitter.com/share">Share</a></div>
  <p>JIANGZHOU, China, March 18 (Reuters) - A chemical plant in eastern China has been fined 1.2 million yuan for discharging untreated wastewater into the Gan River at night, local authorities said on Monday.</p>
  <p>Inspectors found a hidden pipe during an early-morning raid, the Jiangzhou ecology and environment bureau said in a statement, adding that residents had complained about the smell since 2019.</p>
  <p>The company did not respond to a request for comment.</p>
  <aside class="related"><h3>Related coverage</h3><a href="/world/china/a">China tightens pollution rules</a></aside>
</article></main>
<footer><p>&copy; 2024 Reuters. All rights reserved.</p></footer>
</body></html>"#;

#[test]
fn english_news() {
    let e = run(
        ENGLISH.as_bytes(),
        Some("text/html; charset=utf-8"),
        "https://www.reuters.com/world/china/chemical-plant-fined-2024-03-18/",
    );
    assert_eq!(e.title, "Chemical plant fined for dumping waste into Gan River");
    assert_eq!(ts(&e), "2024-03-18T02:22:00+00:00");
    assert_eq!(e.issuer.as_deref(), Some("Jane Doe and Li Wei"));
    assert_eq!(e.lang, "en");
    assert!(e.body.starts_with("JIANGZHOU, China, March 18 (Reuters) - A chemical plant"), "{}", e.body);
    assert!(e.body.ends_with("The company did not respond to a request for comment."), "{}", e.body);
    for bad in ["Share", "Related coverage", "World", "All rights reserved", "By Jane", "10:22 AM"] {
        assert!(!e.body.contains(bad), "body contains {bad:?}:\n{}", e.body);
    }
    // Without JSON-LD the <time> element decides.
    let no_ld = ENGLISH.replace("application/ld+json", "text/plain");
    let e = run(no_ld.as_bytes(), None, "https://www.reuters.com/world/x/");
    assert_eq!(ts(&e), "2024-03-18T10:22:00+08:00");
}

#[test]
fn date_only_in_body_is_not_used() {
    let page = r#"<html><head><meta charset="utf-8"><title>关于做好春季森林防火工作的通知</title></head><body>
    <div class="menu"><a href="/">首页</a><span>2024年3月19日</span></div>
    <h1>关于做好春季森林防火工作的通知</h1>
    <div class="detail">
      <p>2019年5月12日，我县曾发生一起森林火灾，造成较大损失。为切实做好今年春季森林防火工作，现就有关事项通知如下，请各乡镇认真贯彻落实。</p>
      <p>一、加强巡查，严防野外用火。二、落实责任，确保人员到岗到位。</p>
    </div>
    <div class="footer">2024年1月1日更新 版权所有</div>
    </body></html>"#;
    let e = run(page.as_bytes(), None, "http://www.example.gov.cn/art/notice.html");
    assert_eq!(e.title, "关于做好春季森林防火工作的通知");
    assert_eq!(e.published, None);
    assert_eq!(e.issuer, None);
    assert!(e.body.starts_with("2019年5月12日，我县曾发生"));
    assert!(e.body.ends_with("确保人员到岗到位。"));
    // The URL date is the last resort.
    let e = run(page.as_bytes(), None, "http://www.example.gov.cn/art/2024/3/18/art_1.html");
    assert_eq!(ts(&e), "2024-03-18T00:00:00+08:00");
}

#[test]
fn invalid_gbk_bytes() {
    let mut bytes = encoding_rs::GBK
        .encode("<html><head><meta charset=\"gbk\"><title>通知</title></head><body><p>正文内容，")
        .0
        .into_owned();
    bytes.extend_from_slice(&[0x81, 0x30, 0xFF, 0x80, 0xA1]);
    bytes.extend_from_slice(&encoding_rs::GBK.encode("继续。</p></body></html>").0);
    let e = run(&bytes, None, "http://a.gov.cn/");
    assert_eq!(e.encoding, "GBK");
    assert!(e.replacement_share > 0.0);
    assert_eq!(e.title, "通知");
}

#[test]
fn empty_and_garbage_do_not_panic() {
    let e = run(b"", None, "http://a.cn/");
    assert_eq!((e.title.as_str(), e.body.as_str(), e.lang.as_str()), ("", "", "other"));
    assert!(e.links.is_empty() && e.published.is_none() && e.issuer.is_none());
    let garbage: Vec<u8> = (0..20_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8).collect();
    let _ = run(&garbage, Some("application/octet-stream"), "http://a.cn/x");
    let _ = run(&garbage, Some("text/html; charset=gbk"), "http://a.cn/x");
    let deep = "<div>".repeat(5000) + "正文，很深。" + &"</div>".repeat(5000);
    let _ = run(deep.as_bytes(), None, "http://a.cn/");
    let weird = "<a href='http://[::1'>x</a><base href='javascript:alert(1)'><time datetime='9999-99-99'>x</time><table><tr><td>";
    let e = run(weird.as_bytes(), None, "http://a.cn/");
    assert!(e.links.is_empty());
}

#[test]
fn info_disclosure_page_with_meta_and_index_table() {
    // 政府信息公开 template: metadata in <meta> and an index table, body in an unnamed div.
    let page = r#"<html><head><meta charset="utf-8">
    <meta name="PubDate" content="2024-03-18 09:05"><meta name="ContentSource" content="江州市水利局">
    <title>江州市水利局</title></head><body>
    <div class="daohang"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/bsfw/">办事服务</a></div>
    <table class="xxgk-index"><tr><td>索引号：</td><td>001-2024-0001</td><td>发布机构：</td><td>江州市水利局</td></tr>
    <tr><td>发文日期：</td><td>2024-03-15</td><td>文号：</td><td>江水发〔2024〕3号</td></tr></table>
    <h2>江州市水利局关于河道采砂专项整治的公告</h2>
    <div class="wrap"><div class="art">
    <p>为规范河道采砂秩序，保障河势稳定和防洪安全，根据有关法律法规，决定开展河道采砂专项整治。</p>
    <p>对非法采砂行为，将依法从严查处；涉嫌犯罪的，移送司法机关处理。</p>
    </div></div></body></html>"#;
    let e = run(page.as_bytes(), None, "http://slj.jiangzhou.gov.cn/zwgk/art/1.html");
    assert_eq!(e.title, "江州市水利局关于河道采砂专项整治的公告");
    assert_eq!(ts(&e), "2024-03-18T09:05:00+08:00");
    assert_eq!(e.issuer.as_deref(), Some("江州市水利局"));
    assert!(e.body.starts_with("为规范河道采砂秩序"), "{}", e.body);
    assert!(e.body.ends_with("移送司法机关处理。"), "{}", e.body);
    assert!(!e.body.contains("索引号") && !e.body.contains("政务公开"), "{}", e.body);
}

fn ex_html(html: &str, url: &str) -> Extracted {
    let u = url::Url::parse(url).unwrap();
    extract(&Response { url: &u, content_type: Some("text/html; charset=utf-8"), body: html.as_bytes() })
}

const PROSE: &str = "<p>江州市某街道办事处于本周组织开展了辖区环境卫生综合整治工作，共清理卫生死角三十余处，\
    出动人员二百余人次，群众满意度明显提升。下一步，街道将建立长效管理机制，持续巩固整治成效。</p>";

#[test]
fn date_inside_a_share_box_between_title_and_text_is_found() {
    let html = format!(
        "<html><head><title>街道开展环境整治_江州网</title></head><body><h1>街道开展环境整治</h1>\
         <div class=\"share_box\"><p class=\"time\">2019-05-17 10:31:25</p><a href=\"#\">分享</a></div>\
         <div class=\"post_text\">{PROSE}{PROSE}</div></body></html>"
    );
    let e = ex_html(&html, "http://www.example.com/news/a.html");
    assert_eq!(e.published.map(|d| d.date_naive().to_string()).as_deref(), Some("2019-05-17"));
}

#[test]
fn labelled_date_after_the_text_is_found_but_an_unlabelled_one_is_not() {
    let with_label = format!(
        "<html><head><title>街道开展环境整治</title></head><body><h1>街道开展环境整治</h1>\
         <div class=\"content\">{PROSE}{PROSE}</div><footer class=\"single-footer\">发布日期：2019-09-23</footer></body></html>"
    );
    let e = ex_html(&with_label, "http://www.example.com/news/a.html");
    assert_eq!(e.published.map(|d| d.date_naive().to_string()).as_deref(), Some("2019-09-23"));
    let without = with_label.replace("发布日期：", "");
    assert_eq!(ex_html(&without, "http://www.example.com/news/a.html").published, None);
}

#[test]
fn title_span_with_inline_script_and_title_with_site_name_after_a_space() {
    let html = format!(
        "<html><head><title>学校召开监察法学习会 江州大学</title></head><body>\
         <div class=\"nav\"><a href=\"/\">首页</a></div>\
         <span class=\"Title\">学校召开监察法学习会<script>var x = 1;</script></span>\
         <div class=\"info\">发布时间：2018-05-17</div><div class=\"text\">\
         <p>2018年3月20日，全国人大表决通过了监察法。</p>{PROSE}{PROSE}</div></body></html>"
    );
    let e = ex_html(&html, "http://www.example.edu.cn/info/1.htm");
    assert_eq!(e.title, "学校召开监察法学习会");
    assert_eq!(e.published.map(|d| d.date_naive().to_string()).as_deref(), Some("2018-05-17"));
}
