<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AnimationDialog</name>
    <message numerus="yes">
        <source>%n frame(s)</source>
        <translation>
            <numerusform>%n frame</numerusform>
            <numerusform>%n frames</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DataPanel</name>
    <message numerus="yes">
        <source>%n point(s): {origin}</source>
        <translation>
            <numerusform>%n point: {origin}</numerusform>
            <numerusform>%n points: {origin}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FileActions</name>
    <message numerus="yes">
        <source>{file}: read as {encoding} text; dropped %n row(s) with missing values.</source>
        <translation>
            <numerusform>{file}: read as {encoding} text; dropped %n row with missing values.</numerusform>
            <numerusform>{file}: read as {encoding} text; dropped %n rows with missing values.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{file}: dropped %n row(s) with missing values.</source>
        <translation>
            <numerusform>{file}: dropped %n row with missing values.</numerusform>
            <numerusform>{file}: dropped %n rows with missing values.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Presenter</name>
    <message numerus="yes">
        <source>%n test point(s) drawn hollow</source>
        <translation>
            <numerusform>%n test point drawn hollow</numerusform>
            <numerusform>%n test points drawn hollow</numerusform>
        </translation>
    </message>
</context>
</TS>
