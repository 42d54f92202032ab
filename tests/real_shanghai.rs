//! The real published budget in ../shared/real/01 (上海市普陀区万里街道 2023, WPS, Identity-H
//! fonts, borders drawn as thin rectangles filled with `f*`): pages 31–35 hold five
//! 财政项目支出绩效目标填报表 in the Shanghai layout. Every value below was checked by hand
//! against the pages rendered with `pdftoppm -r 100 -png -f 31 -l 35`. Skips when ../shared/real
//! is absent (the file is a third-party publication and is not copied into the repository).

mod common;

use budget_extract::grammars::Grammars;
use budget_extract::pipeline::extract;
use budget_extract::records::Status;

/// (table_index, 一级指标, 二级指标, 三级指标, 年度(/项目)指标值), in order.
const ROWS: &[(u32, &str, &str, &str, &str)] = &[
    (1, "产出指标", "数量指标", "规划建筑面积", "≥13459.00(平方米)"),
    (1, "产出指标", "质量指标", "完工及时率", "及时率"),
    (1, "产出指标", "成本指标", "预算内经费", "合规"),
    (1, "效益指标", "社会效益指标", "完善社区基础设施建设", "完善率"),
    (1, "满意度指标", "服务对象满意度指标", "居民满意度", "满意度"),
    (2, "产出指标", "数量指标", "补贴对象申请审核完成率", "=100.00(%)"),
    (2, "产出指标", "质量指标", "补贴对象审核达标率", "=100.00(%)"),
    (2, "效益指标", "社会效益指标", "补贴对象生活改善度", "补贴对象生活改善度不低于80%"),
    (2, "满意度指标", "服务对象满意度指标", "补贴对象满意度", "≥80.00(%)"),
    (3, "产出指标", "数量指标", "整治行动、病媒消杀", "≥12.00(次)"),
    (3, "产出指标", "质量指标", "项目质量可控性", "可控性100%"),
    (3, "效益指标", "社会效益指标", "社区居民满意度、幸福感", "不低于50%"),
    (3, "满意度指标", "服务对象满意度指标", "市容环境满意度", "不低于50%"),
    (4, "产出指标", "数量指标", "成立社戒社康人员习得规范小组", ">6.00(次)"),
    (4, "产出指标", "数量指标", "开展特殊对象心理健康教育", "开展至少1次团体心理治疗"),
    (4, "产出指标", "数量指标", "开展社区服刑人员团队训练", "至少1次矫正人员的集中活动"),
    (4, "产出指标", "数量指标", "针对特殊群体进行个案心理辅导", "不低于50人次的个体心理咨询辅导"),
    (4, "产出指标", "数量指标", "开展社区法治宣传活动", "开展不低于5次的社区法治宣传活动"),
    (4, "产出指标", "数量指标", "按计划数量完成", "慰问人数不少于100人,宣传用品不少于20000份"),
    (4, "产出指标", "数量指标", "寒托班、暑托班开设班级数", "≥1.00(个)"),
    (4, "产出指标", "数量指标", "基干民兵整组工作", "≥100.00(人数)"),
    (4, "产出指标", "数量指标", "日常走访企业", ">150.00(家)"),
    (4, "产出指标", "数量指标", "企业服务活动", "≥8.00(次)"),
    (4, "产出指标", "数量指标", "商会活动及会长会议", "=12.00(次)"),
    (4, "产出指标", "数量指标", "质量月活动", "=1.00(次)"),
    (4, "产出指标", "数量指标", "节能减排宣传周活动", "=1.00(次)"),
    (4, "产出指标", "数量指标", "统计法制宣传活动", "=1.00(次)"),
    (4, "产出指标", "数量指标", "15个居民区全覆盖", "居民区全覆盖"),
    (4, "产出指标", "质量指标", "做好禁毒示范城区标准化建设", "做好禁毒示范城区标准化建设"),
    (4, "产出指标", "质量指标", "心理健康教育活动有效", "特殊对象及群体、居民心理健康有效提升"),
    (4, "产出指标", "质量指标", "法治宣传活动丰富有实效", "提升社区法治宣传氛围及居民知法懂法守法用法"),
    (4, "产出指标", "质量指标", "中心全年活动人次", "=5.00(万人次)"),
    (4, "产出指标", "质量指标", "完善人大代表“家站点”建设", "达标"),
    (4, "产出指标", "质量指标", "夯实思想政治基础", "凝聚统战各界人士力量"),
    (4, "产出指标", "质量指标", "寒托班、暑托班完成班级数", "≥1.00(个)"),
    (4, "产出指标", "质量指标", "民兵训练及备勤工作", "根据区人武部安排，完成民兵训练任务及备勤任务"),
    (4, "效益指标", "社会效益指标", "扩大禁毒宣传教育覆盖面", "扩大"),
    (4, "效益指标", "社会效益指标", "社区服刑人员融入社会", "增强"),
    (4, "效益指标", "社会效益指标", "社区法治氛围增强", "增强"),
    (4, "效益指标", "社会效益指标", "居民依法、理性参与公众事务的能力增强", "提升"),
    (4, "效益指标", "社会效益指标", "提升住宅小区业委会规范化", "加强引导业委会工作制度、履职行为、自治能力等"),
    (4, "效益指标", "社会效益指标", "助力社区发展", "提升"),
    (4, "效益指标", "社会效益指标", "宣传工作覆盖面不断扩大", "宣传工作覆盖面不断扩大"),
    (4, "效益指标", "社会效益指标", "政治觉悟及参与范围", "政治觉悟及学习主动性不断提升，范围不断扩大"),
    (4, "效益指标", "社会效益指标", "解决小朋友寒暑假看护难问题", "≥120.00(人次)"),
    (
        4,
        "效益指标",
        "社会效益指标",
        "\"提升居民、驻区单位质量及节能环保意识 提升驻区企业，依法统计意识 优化营商环境\"",
        "提升",
    ),
    (4, "效益指标", "社会效益指标", "促进经济发展", "有效"),
    (4, "效益指标", "社会效益指标", "干部人事工作平稳有序", "平稳有序"),
    (4, "效益指标", "社会效益指标", "协调推动区域化党建工作的稳定有序发展", "有效"),
    (4, "效益指标", "社会效益指标", "全面提升社区党员党性修养，提升书记综合素质，牢固树立全心全意为民服务意识", "有效"),
    (4, "满意度指标", "服务对象满意度指标", "提升社区居民满意度", "提升"),
    (4, "满意度指标", "服务对象满意度指标", "特殊人员及群体满意", "90.00(度)"),
    (4, "满意度指标", "服务对象满意度指标", "家长及学生满意比例", "满意率100%"),
    (4, "满意度指标", "服务对象满意度指标", "提高居民、驻区企业满意度", "提升"),
    (4, "满意度指标", "服务对象满意度指标", "提升经济服务满意度", "提升"),
    (4, "满意度指标", "服务对象满意度指标", "党员群众满意度", "党员群众满意度不少于80%"),
    (5, "产出指标", "数量指标", "开展活动300场", "=300.00(场)"),
    (5, "产出指标", "数量指标", "环境卫生及保安服务", "卫生整洁、内部安全有序"),
    (5, "产出指标", "质量指标", "居民参与率", "居民参与率不低于100%"),
    (5, "产出指标", "质量指标", "维修处理及时率", "维修响应速度快"),
    (5, "产出指标", "质量指标", "房屋质量", "房屋完好"),
    (5, "效益指标", "社会效益指标", "加强工作人员队伍建设", "是"),
    (5, "效益指标", "社会效益指标", "安全责任事故", "安全无事故"),
    (5, "满意度指标", "服务对象满意度指标", "居民满意度", "90%"),
    (5, "满意度指标", "服务对象满意度指标", "工作人员满意度", "≥95.00(%)"),
];

/// (项目名称, 年度资金申请总额 in 元, 其中：财政资金 in 元)
const PROJECTS: &[(&str, f64, f64)] = &[
    ("新建万里街道社区公共服务中心", 4_100_000.0, 4_100_000.0),
    ("就业援助基地补贴", 6_351_000.0, 6_351_000.0),
    ("社区环境整治和建设经费", 4_563_800.0, 4_563_800.0),
    ("各类工作经费", 7_595_500.0, 7_595_500.0),
    ("公共服务设施运行经费", 10_903_043.0, 10_903_043.0),
];

#[test]
fn shanghai_project_target_forms() {
    let Some(real) = common::shared("real") else { return };
    let path = std::fs::read_dir(&real)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("01_"))
        .expect("01_* in ../shared/real");
    let e = extract("01.pdf", &common::read(&path), Grammars::builtin());
    assert_eq!(e.document.status, Status::Ok, "{:?}", e.document.reason);

    assert_eq!(e.projects.len(), PROJECTS.len());
    for (p, (name, total, fiscal)) in e.projects.iter().zip(PROJECTS) {
        assert_eq!(p.project_name.as_deref(), Some(*name));
        assert_eq!(p.title.as_deref(), Some("财政项目支出绩效目标填报表"));
        assert_eq!(p.unit_name.as_deref(), Some("上海市普陀区人民政府万里街道办事处"), "{name}: 实施单位");
        assert_eq!(p.fiscal_year, Some(2023), "{name}: （2023年度）");
        // Published in 元, stored in 万元, with a warning saying so.
        assert_eq!(p.amount_unit_raw.as_deref(), Some("元"));
        assert_eq!(p.budget_total, Some(total / 10_000.0), "{name}");
        assert_eq!(p.budget_fiscal, Some(fiscal / 10_000.0), "{name}");
        assert_eq!(p.budget_other, Some(0.0), "{name}");
        assert!(p.warnings.iter().any(|w| w.contains("converted to 万元")));
        let extra: serde_json::Value = serde_json::from_str(p.extra_fields.as_deref().unwrap()).unwrap();
        assert_eq!(extra["主管部门"], "上海市普陀区人民政府万里街道办事处");
        assert_eq!(extra["计划开始日期"], "2023-01-01");
        assert!(p.goal.as_deref().is_some_and(|g| !g.is_empty()), "{name}: 年度总体目标");
    }
    assert_eq!(e.projects[0].extra_fields.as_deref().map(|x| x.contains("\"项目性质\":\"阶段性项目\"")), Some(true));

    let got: Vec<(u32, &str, &str, &str, &str)> = e
        .indicators
        .iter()
        .map(|i| {
            (
                i.table_index,
                i.level1.as_deref().unwrap_or(""),
                i.level2.as_deref().unwrap_or(""),
                i.level3.as_deref().unwrap_or(""),
                i.value_raw.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(got.len(), ROWS.len());
    for (g, want) in got.iter().zip(ROWS) {
        assert_eq!(g, want);
    }
    // The value grammar on this layout's spellings.
    let first = &e.indicators[0];
    assert_eq!(
        (first.value_op.as_deref(), first.value_num, first.value_unit.as_deref()),
        (Some(">="), Some(13459.0), Some("平方米"))
    );
    let pct = e.indicators.iter().find(|i| i.value_raw.as_deref() == Some("=100.00(%)")).unwrap();
    assert_eq!(
        (pct.value_op.as_deref(), pct.value_num, pct.value_unit.as_deref()),
        (Some("="), Some(100.0), Some("%"))
    );
}
